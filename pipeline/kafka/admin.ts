import type { RedlineConfig } from '../../infra/config/schema.ts';
import { LOGICAL_TOPICS, type LogicalTopic, topicName } from '../topics.ts';
import { createKafka } from './client.ts';

/** Per-topic settings beyond the defaults: the rules topic is compacted (latest version per key). */
const TOPIC_CONFIGS: Partial<Record<LogicalTopic, Record<string, string>>> = {
  rules: { 'cleanup.policy': 'compact' },
  requests: { 'max.message.bytes': '10485760' },
  authorized: { 'max.message.bytes': '10485760' },
  sanitized: { 'max.message.bytes': '10485760' },
  cleared: { 'max.message.bytes': '10485760' },
  quarantine: { 'max.message.bytes': '10485760' },
  dlq: { 'max.message.bytes': '10485760', 'retention.ms': String(7 * 24 * 3600 * 1000) },
};

export interface TopicPlan {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: Array<{ name: string; value: string }>;
}

export function topicPlan(
  config: Pick<RedlineConfig, 'topics'>,
  logical: readonly LogicalTopic[] = LOGICAL_TOPICS,
): TopicPlan[] {
  return logical.map((t) => ({
    topic: topicName(config, t),
    numPartitions: t === 'rules' ? 1 : config.topics.partitions,
    replicationFactor: config.topics.replicationFactor,
    configEntries: Object.entries(TOPIC_CONFIGS[t] ?? {}).map(([name, value]) => ({ name, value })),
  }));
}

/** Creates every missing topic of the flow (existing topics are left as they are). Returns the created names. */
export async function ensureTopics(
  config: Pick<RedlineConfig, 'topics' | 'kafka'>,
  logical: readonly LogicalTopic[] = LOGICAL_TOPICS,
): Promise<string[]> {
  const admin = createKafka(config).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topicPlan(config, logical).filter((p) => !existing.has(p.topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    return missing.map((m) => m.topic);
  } finally {
    await admin.disconnect();
  }
}
