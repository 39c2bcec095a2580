import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticStream } from '../../analytics/synthetic-spans.ts';
import { loadConfig } from '../../infra/config/load.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { Alert } from '../../schemas/types.ts';

// `redline analytics` as a process and `redline alerts` reading what it published.

const prefix = `t-analytics-cli-${randomBytes(4).toString('hex')}.`;
const env = {
  ...process.env,
  REDLINE_TOPICS_PREFIX: prefix,
  REDLINE_ANALYTICS_GROUP_ID: `${prefix}analytics`,
  REDLINE_ANALYTICS_REDIS_KEY_PREFIX: prefix,
  REDLINE_ANALYTICS_IDLE_CLOSE_MS: '1500',
  REDLINE_ANALYTICS_JAEGER_URL: '"http://localhost:16686"',
  REDLINE_LOG_LEVEL: 'warn',
};
const config = loadConfig({ env });
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  const admin = createKafka(config).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [`${prefix}spans`, `${prefix}alerts`] }).catch(() => {});
  await admin.disconnect();
  const redis = new Redis(config.redis.url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('redline analytics / redline alerts', () => {
  it('runs the consumer as a process, prints the alert it raises, and `alerts --json` reads it back', async () => {
    const admin = createKafka(config).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: `${prefix}spans`, numPartitions: 2 },
        { topic: `${prefix}alerts`, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const windowMs = config.analytics.windowMs;
    const spans = syntheticStream({
      seed: 9,
      windowMs,
      startMs: Math.floor(Date.UTC(2026, 5, 1) / windowMs) * windowMs,
      windows: 6,
      requestsPerWindow: 150,
      incident: { kind: 'backend-timeouts', fromWindow: 3, windows: 2, requestsPerWindow: 50 },
    });
    const producer = createKafka(config).producer();
    await producer.connect();
    const codec = codecFor('SpanEvent');
    for (let i = 0; i < spans.length; i += 2_000) {
      const messages = spans.slice(i, i + 2_000).map((s) => ({ key: s.traceId, value: codec.encode(s) }));
      await producer.send({ topic: `${prefix}spans`, messages });
    }
    await producer.disconnect();

    child = spawn(process.execPath, ['bin/redline.js', 'analytics', '--from-beginning'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const first = out.split('\n').find((l) => l.includes('BACKEND_TIMEOUT'));
        if (first) resolve(first);
      });
      child!.once('exit', (code) => reject(new Error(`redline analytics exited with ${code}`)));
    });
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\dT.* (CRITICAL|WARNING) +new error cluster in backend: BACKEND_TIMEOUT on backend\.call/,
    );
    expect(line).toContain('http://localhost:16686/trace/');
    child.kill('SIGTERM');
    const exitCode = await new Promise<number | null>((resolve) => child!.once('exit', resolve));
    expect(exitCode).toBe(0);

    const { stdout } = await promisify(execFile)(process.execPath, ['bin/redline.js', 'alerts', '--json'], {
      env,
      timeout: 60_000,
    });
    const alerts = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Alert);
    expect(alerts.map((a) => [a.stage, a.errorType, a.reason])).toEqual([
      ['backend', 'BACKEND_TIMEOUT', 'new'],
    ]);
    const readable = await promisify(execFile)(process.execPath, ['bin/redline.js', 'alerts'], {
      env,
      timeout: 60_000,
    });
    expect(readable.stdout.trim()).toBe(line.trim());
  });
});
