// Errors with stable codes, in the manner of jose: callers branch on `code`, never on the message.

export class RedlineError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedlineError';
    this.code = code;
  }
}

export function isRedlineError(err: unknown, code?: string): err is RedlineError {
  return err instanceof RedlineError && (code === undefined || err.code === code);
}
