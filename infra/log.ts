import pino, { type Logger, type LoggerOptions } from 'pino';

// The one place log redaction is configured. Raw prompts, responses and credentials never reach a
// log line: callers log `fingerprint(text)` (a hash and a length) instead, and anything that slips
// through under these keys is censored.
export const REDACTED_KEYS = [
  'prompt',
  'renderedPrompt',
  'normalizedPrompt',
  'text',
  'output',
  'response',
  'token',
  'authorization',
  'password',
  'passphrase',
  'secret',
  'slots',
];

const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers.${k}`, `req.headers.${k}`]);

export function loggerOptions(level = process.env.REDLINE_LOG_LEVEL ?? 'info'): LoggerOptions {
  return { level, redact: { paths, censor: '[redacted]' }, base: { pid: process.pid } };
}

export function createLogger(name: string, destination?: pino.DestinationStream): Logger {
  const options = { ...loggerOptions(), name };
  return destination ? pino(options, destination) : pino(options, pino.destination(2));
}

export type { Logger };
