import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../infra/config/load.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { ensureTopics } from '../../pipeline/kafka/admin.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { type LogicalTopic, topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { InferenceRequest } from '../../schemas/types.ts';
import { makeRequest } from './requests.ts';

/** A config whose topics are this test's own (a unique prefix), with the topics created. */
export async function isolatedConfig(name: string, env: Record<string, string> = {}): Promise<RedlineConfig> {
  const prefix = `t.${name}.${randomUUID().slice(0, 8)}.`;
  const config = loadConfig({ env: { ...process.env, REDLINE_TOPICS_PREFIX: prefix, ...env } });
  await ensureTopics(config);
  return config;
}

export function configEnv(config: RedlineConfig): Record<string, string> {
  return {
    REDLINE_TOPICS_PREFIX: config.topics.prefix,
    REDLINE_KAFKA_BROKERS: config.kafka.brokers.join(','),
  };
}

/** Publishes requests in waves of `wave` with `pauseMs` between them; returns their ids. */
export async function publishRequests(
  config: RedlineConfig,
  count: number,
  options: { wave?: number; pauseMs?: number; make?: (i: number) => InferenceRequest } = {},
): Promise<string[]> {
  const producer = createKafka(config).producer({ idempotent: true });
  await producer.connect();
  const codec = codecFor('InferenceRequest');
  const ids: string[] = [];
  const wave = options.wave ?? 1000;
  try {
    for (let i = 0; i < count; i += wave) {
      const requests = Array.from({ length: Math.min(wave, count - i) }, (_, j) =>
        (options.make ?? (() => makeRequest()))(i + j),
      );
      ids.push(...requests.map((r) => r.requestId));
      await producer.send({
        topic: topicName(config, 'requests'),
        messages: requests.map((r) => ({ key: r.requestId, value: codec.encode(r) })),
      });
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  } finally {
    await producer.disconnect();
  }
  return ids;
}

/**
 * Reads a topic (read_committed) from the beginning until `expected` distinct keys have been seen
 * and then `settleMs` passes with nothing new (so duplicates that trail would still be counted).
 * Returns how often each key was seen.
 */
export async function countKeys(
  config: RedlineConfig,
  topic: LogicalTopic,
  expected: number,
  options: { timeoutMs?: number; settleMs?: number } = {},
): Promise<Map<string, number>> {
  const consumer = createKafka(config).consumer({
    groupId: `${config.topics.prefix}count.${randomUUID()}`,
    readUncommitted: false,
  });
  const counts = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(config, topic), fromBeginning: true });
  let last = Date.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const key = m.key?.toString() ?? '';
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      last = Date.now();
    },
  });
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const settle = options.settleMs ?? 2_000;
  while (Date.now() < deadline && !(counts.size >= expected && Date.now() - last > settle)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  await consumer.disconnect();
  return counts;
}

/** Asserts-friendly summary: how many ids are missing, duplicated, or unexpected. */
export function exactlyOnce(
  ids: string[],
  counts: Map<string, number>,
): { missing: number; duplicated: number; unexpected: number } {
  const wanted = new Set(ids);
  let missing = 0;
  let duplicated = 0;
  for (const id of ids) {
    const n = counts.get(id) ?? 0;
    if (n === 0) missing++;
    if (n > 1) duplicated++;
  }
  const unexpected = [...counts.keys()].filter((k) => !wanted.has(k)).length;
  return { missing, duplicated, unexpected };
}
