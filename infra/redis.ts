import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedlineError } from '../pipeline/errors.ts';
import { DATA_DIR } from './paths.ts';
import { isAlive, readPid, stopPid, tail } from './process.ts';

// Redis: use the one that answers at the configured URL; for a loopback URL with nothing
// listening, start the machine's redis-server (no persistence: a development/test instance).

const REDIS_DIR = join(DATA_DIR, 'redis');
const PID_FILE = join(REDIS_DIR, 'redis.pid');
const LOG_FILE = join(REDIS_DIR, 'redis.log');

export async function probeRedis(url: string, timeoutMs = 1_500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function redisUp(
  url: string,
  log: (line: string) => void = () => {},
): Promise<{ started: boolean }> {
  if (await probeRedis(url)) return { started: false };
  const parsed = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) {
    throw new RedlineError(
      'INFRA_REDIS',
      `redis: ${parsed.host} does not answer (it is not local, so nothing was started)`,
    );
  }
  const port = parsed.port || '6379';
  mkdirSync(REDIS_DIR, { recursive: true });
  log(`starting redis-server on 127.0.0.1:${port}…`);
  const out = openSync(LOG_FILE, 'a');
  const child = spawn(
    'redis-server',
    ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', REDIS_DIR],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  const spawnError = await new Promise<Error | null>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(null));
  });
  if (spawnError) {
    throw new RedlineError(
      'INFRA_REDIS',
      'redis: nothing answers and redis-server is not installed; install it (Debian: apt-get install redis-server) or set REDLINE_REDIS_URL',
    );
  }
  child.unref();
  writeFileSync(PID_FILE, String(child.pid));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await probeRedis(url)) return { started: true };
    if (!isAlive(child.pid!)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new RedlineError('INFRA_REDIS', `redis: redis-server did not come up\n${tail(LOG_FILE, 15)}`);
}

/** Stops redis-server only if this project started it. */
export async function redisDown(): Promise<boolean> {
  return stopPid(PID_FILE, 10_000);
}

export function redisPid(): number | null {
  const pid = readPid(PID_FILE);
  return pid && isAlive(pid) ? pid : null;
}
