import { randomUUID } from 'node:crypto';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { ClearedRequest, InferenceResult, Rejection } from '../../schemas/types.ts';
import { type Consumer, createKafka } from '../kafka/client.ts';
import { topicName } from '../topics.ts';

/** How a request ended, as a producer sees it. */
export type Outcome =
  | { kind: 'result'; requestId: string; result: InferenceResult }
  | { kind: 'rejected'; requestId: string; rejection: Rejection }
  /** Held for an operator's review (the detector's grey zone); a later result or rejection follows. */
  | { kind: 'quarantined'; requestId: string; score: number };

export interface OutcomeStreamOptions {
  /** Read the topics from their beginning (history) instead of from now on. */
  fromBeginning?: boolean;
  /** Include quarantine records (default true). */
  quarantine?: boolean;
}

/**
 * A read_committed consumer of the results, rejected and quarantine topics under a throw-away
 * group. `ready` resolves once it holds its partitions, so nothing published after that is missed.
 */
export async function followOutcomes(
  config: RedlineConfig,
  onOutcome: (outcome: Outcome) => void,
  options: OutcomeStreamOptions = {},
): Promise<{ consumer: Consumer; stop(): Promise<void> }> {
  const kafka = createKafka(config, { clientId: 'redline-sdk' });
  const consumer = kafka.consumer({
    groupId: `${config.topics.prefix}sdk.${randomUUID()}`,
    readUncommitted: false,
  });
  const topics = {
    results: topicName(config, 'results'),
    rejected: topicName(config, 'rejected'),
    quarantine: topicName(config, 'quarantine'),
  };
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  const subscribed = [
    topics.results,
    topics.rejected,
    ...(options.quarantine === false ? [] : [topics.quarantine]),
  ];
  await consumer.subscribe({ topics: subscribed, fromBeginning: options.fromBeginning ?? false });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      try {
        if (topic === topics.results) {
          const result = codecFor('InferenceResult').decode(message.value);
          onOutcome({ kind: 'result', requestId: result.requestId, result });
        } else if (topic === topics.rejected) {
          const rejection = codecFor('Rejection').decode(message.value);
          onOutcome({ kind: 'rejected', requestId: rejection.requestId, rejection });
        } else {
          const held: ClearedRequest = codecFor('ClearedRequest').decode(message.value);
          onOutcome({ kind: 'quarantined', requestId: held.requestId, score: held.detection.score });
        }
      } catch {
        // Records this client cannot decode are the DLQ's business, not the caller's.
      }
    },
  });
  await joined;
  return { consumer, stop: () => consumer.disconnect() };
}
