import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { RedlineConfig } from '../../../infra/config/schema.ts';
import { codecFor } from '../../../schemas/codec.ts';
import type { ClearedRequest, InferenceResult, Rejection } from '../../../schemas/types.ts';
import { type Consumer, createKafka, type KafkaMessage } from '../../kafka/client.ts';
import { headersToStrings } from '../../kafka/headers.ts';
import { topicName } from '../../topics.ts';
import { batchRequestId } from './lines.ts';
import { type BatchLine, lineFromQuarantine, lineFromRejection, lineFromResult } from './output.ts';

// Collects a batch's outcomes from the results, rejected and quarantine topics. The consumer group
// is stable per batch, so a resumed batch continues from the offsets it committed; offsets are
// committed only after the batch's lines reached the store (a re-read record is a no-op there).

export const OUTCOME_TOPICS = ['results', 'rejected', 'quarantine'] as const;

export function collectorGroupId(config: Pick<RedlineConfig, 'topics'>, batchId: string): string {
  return `${config.topics.prefix}batch.${batchId}`;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The outcome topics' current ends. Read for a new batch before anything is sent: its collector
 * starts there, so it reads every outcome published from then on and none of the topics' history.
 * (Starting at "latest" instead would leave a window: KafkaJS resolves it at the first fetch,
 * after the join.)
 */
export async function outcomeTopicEnds(config: RedlineConfig): Promise<TopicPartitionOffset[]> {
  // KafkaJS's admin does not retry ListOffsets on NOT_LEADER (a new topic, a leader move); a fresh
  // admin per attempt also refreshes the metadata.
  return endsRetry.execute(async () => {
    const admin = createKafka(config, { clientId: 'redline-batch' }).admin();
    await admin.connect();
    try {
      const ends: TopicPartitionOffset[] = [];
      for (const t of OUTCOME_TOPICS) {
        const topic = topicName(config, t);
        for (const p of await admin.fetchTopicOffsets(topic)) {
          ends.push({ topic, partition: p.partition, offset: p.high });
        }
      }
      return ends;
    } finally {
      await admin.disconnect();
    }
  });
}

const endsRetry = retry(
  handleWhen((err) => (err as { retriable?: boolean }).retriable === true),
  { maxAttempts: 8, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }) },
);

/** Removes a finished batch's consumer group (its offsets are no longer needed). */
export async function deleteCollectorGroup(config: RedlineConfig, batchId: string): Promise<void> {
  const admin = createKafka(config, { clientId: 'redline-batch' }).admin();
  await admin.connect();
  try {
    await admin.deleteGroups([collectorGroupId(config, batchId)]);
  } finally {
    await admin.disconnect();
  }
}

/** The batch line a record stands for, or null when the record belongs to another batch (or none). */
export function lineFromRecord(
  config: Pick<RedlineConfig, 'topics'>,
  batchId: string,
  total: number,
  topic: string,
  message: Pick<KafkaMessage, 'value' | 'headers'>,
): BatchLine | null {
  const mine = (r: { requestId: string; batchId: string | null; batchIndex: number | null }) =>
    r.batchId === batchId &&
    r.batchIndex !== null &&
    r.batchIndex >= 0 &&
    r.batchIndex < total &&
    r.requestId === batchRequestId(batchId, r.batchIndex);
  try {
    if (topic === topicName(config, 'results')) {
      const r: InferenceResult = codecFor('InferenceResult').decode(message.value);
      return mine(r) ? lineFromResult(r, r.batchIndex!) : null;
    }
    if (topic === topicName(config, 'rejected')) {
      const r: Rejection = codecFor('Rejection').decode(message.value);
      return mine(r) ? lineFromRejection(r, r.batchIndex!) : null;
    }
    const held: ClearedRequest = codecFor('ClearedRequest').decode(message.value);
    const reason = headersToStrings(message.headers)['redline-reason'];
    return mine(held) ? lineFromQuarantine(held, held.batchIndex!, reason) : null;
  } catch {
    // A record this client cannot decode is not one of the batch's outcomes (the DLQ's business).
    return null;
  }
}

export interface Collector {
  stop(): Promise<void>;
}

/**
 * Joins the batch's group and hands each chunk of the batch's lines to `record` (which must be
 * idempotent) before the chunk's offsets are committed. A new batch passes `startAt` (from
 * `outcomeTopicEnds`); a resumed one continues from its committed offsets. Resolves once joined.
 */
export async function startCollector(
  config: RedlineConfig,
  batchId: string,
  total: number,
  record: (lines: BatchLine[]) => Promise<void>,
  startAt: TopicPartitionOffset[] = [],
): Promise<Collector> {
  const consumer: Consumer = createKafka(config, { clientId: 'redline-batch' }).consumer({
    groupId: collectorGroupId(config, batchId),
    readUncommitted: false,
    // Short fetch waits: stopping (Ctrl-C, completion) waits for the fetch in flight.
    maxWaitTimeInMs: 500,
  });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({
    topics: OUTCOME_TOPICS.map((t) => topicName(config, t)),
    // Only used where the group has no committed offset and no `startAt` (a batch that stopped
    // before its first commit): then the whole history is read rather than anything missed.
    fromBeginning: true,
  });
  await consumer.run({
    // eachBatch resolves the batch's offsets only after `record` returned; a throw re-delivers it.
    eachBatch: async ({ batch }) => {
      const lines: BatchLine[] = [];
      for (const m of batch.messages) {
        const line = lineFromRecord(config, batchId, total, batch.topic, m);
        if (line) lines.push(line);
      }
      await record(lines);
    },
  });
  // Applied (and committed) at the first fetch after the join, before any record is read.
  for (const entry of startAt) consumer.seek(entry);
  await joined;
  return { stop: () => consumer.disconnect() };
}
