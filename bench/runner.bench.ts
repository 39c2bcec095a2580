import { randomUUID } from 'node:crypto';
import { loadConfig } from '../infra/config/load.ts';
import type { RedlineConfig } from '../infra/config/schema.ts';
import { createLogger } from '../infra/log.ts';
import { ensureTopics } from '../pipeline/kafka/admin.ts';
import { createKafka } from '../pipeline/kafka/client.ts';
import { startStage } from '../pipeline/runner.ts';
import { type LogicalTopic, topicName } from '../pipeline/topics.ts';
import { countKeys, publishRequests } from '../test/helpers/kafka.ts';
import { passthroughStage } from '../test/helpers/passthrough.ts';
import type { BenchModule, BenchRow, BenchSection } from './types.ts';

// The stage runner's pass-through chain (three hops, a Kafka transaction per chunk including the
// offsets, read_committed) against a plain KafkaJS consume-produce chain over the same hops on the
// same broker (auto-commit, no transactions), in the same run: requests/s as a ratio.

const HOPS: Array<[LogicalTopic, LogicalTopic]> = [
  ['requests', 'authorized'],
  ['authorized', 'sanitized'],
  ['sanitized', 'cleared'],
];

async function freshConfig(env: Record<string, string> = {}): Promise<RedlineConfig> {
  const config = loadConfig({
    env: { ...process.env, REDLINE_TOPICS_PREFIX: `bench.${randomUUID().slice(0, 8)}.`, ...env },
  });
  await ensureTopics(config, [
    'requests',
    'authorized',
    'sanitized',
    'cleared',
    'rejected',
    'quarantine',
    'dlq',
  ]);
  return config;
}

/** Publishes n requests first, then times the chain from start until all n reached the end. */
async function timeChain(
  config: RedlineConfig,
  n: number,
  start: () => Promise<() => Promise<void>>,
): Promise<number> {
  await publishRequests(config, n, { wave: 2000 });
  const began = performance.now();
  const stop = await start();
  const counts = await countKeys(config, 'cleared', n, { settleMs: 0, timeoutMs: 300_000 });
  const seconds = (performance.now() - began) / 1000;
  await stop();
  if (counts.size < n) throw new Error(`chain delivered ${counts.size} of ${n}`);
  return n / seconds;
}

async function runnerChain(config: RedlineConfig): Promise<() => Promise<void>> {
  const logger = createLogger('bench', undefined);
  logger.level = 'warn';
  const stages = await Promise.all(
    HOPS.map(([i, o], k) => startStage(passthroughStage(`h${k}`, i, o), { config, logger })),
  );
  return async () => {
    await Promise.all(stages.map((s) => s.stop()));
  };
}

async function plainChain(config: RedlineConfig): Promise<() => Promise<void>> {
  const kafka = createKafka(config);
  const parts = await Promise.all(
    HOPS.map(async ([i, o], k) => {
      const producer = kafka.producer();
      const consumer = kafka.consumer({ groupId: `${config.topics.prefix}plain.${k}` });
      await Promise.all([producer.connect(), consumer.connect()]);
      await consumer.subscribe({ topic: topicName(config, i), fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: config.topics.partitions,
        eachBatch: async ({ batch }) => {
          await producer.send({
            topic: topicName(config, o),
            messages: batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
          });
        },
      });
      return { producer, consumer };
    }),
  );
  return async () => {
    for (const p of parts) await Promise.all([p.consumer.disconnect(), p.producer.disconnect()]);
  };
}

export const run: BenchModule['run'] = async ({ quick }): Promise<BenchSection> => {
  const n = quick ? 5_000 : 20_000;
  const baseConfig = await freshConfig();
  const baseline = await timeChain(baseConfig, n, () => plainChain(baseConfig));
  const rows: BenchRow[] = [];
  for (const batch of quick ? [500] : [100, 500, 2000]) {
    const config = await freshConfig({ REDLINE_RUNNER_MAX_BATCH_SIZE: String(batch) });
    const value = await timeChain(config, n, () => runnerChain(config));
    const ratio = value / baseline;
    rows.push({
      name: `stage runner, 3 hops, transactions on, maxBatchSize ${batch}`,
      value: Math.round(value),
      unit: 'requests/s',
      baseline: {
        name: 'plain kafkajs consume-produce chain, 3 hops, no transactions',
        value: Math.round(baseline),
      },
      ratio,
      goal: '>= 0.5',
      met: ratio >= 0.5,
      notes: `${n} requests pre-published, timed from start until all reached the last topic`,
    });
  }
  return { section: 'stage runner (issue 2)', rows };
};
