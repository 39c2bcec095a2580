import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type DemoTokens, demoTokens } from '../../bin/demo/tokens.ts';
import { loadConfig } from '../../infra/config/load.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { ensureTopics } from '../../pipeline/kafka/admin.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { type LogicalTopic, topicName } from '../../pipeline/topics.ts';

// The demo configuration (infra/dev/demo.config.yaml) made private to one end-to-end test: its
// own topic prefix (which also names the BullMQ queues and the sanitize stage's Redis keys), its
// own limiter and analytics Redis keys, a fresh development key set in a temp dir, and a sim
// backend control file nobody else writes (the demo's brown-out switch must not reach the test).

export const DEMO_CONFIG_FILE = 'infra/dev/demo.config.yaml';
export const DEMO_MODEL = 'llama-3-8b';

export interface DemoPipelineConfig {
  config: RedlineConfig;
  tokens: DemoTokens;
  /** Removes the temp dir (keys, control file) and this test's Redis keys (jobs, limiters). */
  cleanup(): Promise<void>;
}

function first(value: string | string[]): string {
  return Array.isArray(value) ? value[0]! : value;
}

export async function demoPipelineConfig(
  name: string,
  env: Record<string, string> = {},
): Promise<DemoPipelineConfig> {
  const dir = mkdtempSync(join(tmpdir(), `redline-${name}-`));
  const id = `${name}.${randomUUID().slice(0, 8)}`;
  const file = loadConfig({ file: DEMO_CONFIG_FILE, env: {} });
  const tokens = await demoTokens(dir, first(file.auth.issuer), first(file.auth.audience));
  const config = loadConfig({
    file: DEMO_CONFIG_FILE,
    env: {
      ...process.env,
      REDLINE_TOPICS_PREFIX: `t.${id}.`,
      REDLINE_AUTH_JWKS_FILE: tokens.jwksFile,
      // Deep-merged into the file's sections by loadConfig.
      REDLINE_WORKERS_LIMITS: JSON.stringify({ keyPrefix: `t:${id}:limits:` }),
      REDLINE_ANALYTICS_REDIS_KEY_PREFIX: `t:${id}:analytics:`,
      REDLINE_SANITIZE_REDIS_KEY_PREFIX: `t:${id}:sanitize:`,
      // The sim's 1% error rate is the demo's background noise; here a benign request must end as
      // a result, so the backend never fails (resilience has its own tests).
      REDLINE_WORKERS_BACKENDS: JSON.stringify({
        [DEMO_MODEL]: { errorRate: 0, controlFile: join(dir, 'sim-control.json') },
      }),
      ...env,
    },
  });
  await ensureTopics(config);
  const cleanup = async (): Promise<void> => {
    rmSync(dir, { recursive: true, force: true });
    // BullMQ keys sit under `bull:<queue>` (the queue name starts with the topic prefix); result
    // markers and the sanitize stage's keys under the topic prefix itself.
    await deleteKeys(config.redis.url, [
      `bull:${config.topics.prefix}*`,
      `${config.topics.prefix}*`,
      `t:${id}:*`,
    ]);
  };
  return { config, tokens, cleanup };
}

async function deleteKeys(url: string, patterns: string[]): Promise<void> {
  const redis = new Redis(url);
  try {
    for (const match of patterns) {
      const stream = redis.scanStream({ match, count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>)
        if (keys.length) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

/** The first record with `key` on a topic (read_committed, from the beginning), or undefined at the deadline. */
export async function findRecord(
  config: RedlineConfig,
  topic: LogicalTopic,
  key: string,
  timeoutMs = 20_000,
): Promise<{ value: Buffer | null; headers: Record<string, string> } | undefined> {
  const consumer = createKafka(config).consumer({
    groupId: `${config.topics.prefix}find.${randomUUID()}`,
    readUncommitted: false,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topicName(config, topic), fromBeginning: true });
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== key) return;
          clearTimeout(timer);
          const headers: Record<string, string> = {};
          for (const [name, v] of Object.entries(message.headers ?? {})) {
            if (v !== undefined) headers[name] = (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
          }
          resolve({ value: message.value, headers });
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}
