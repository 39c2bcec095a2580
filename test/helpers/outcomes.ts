import { randomUUID } from 'node:crypto';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { ClearedRequest, Rejection } from '../../schemas/types.ts';

/** Every record of detect's three outcome topics, by request id (a list, so duplicates show). */
export interface Outcomes {
  cleared: Map<string, ClearedRequest[]>;
  rejected: Map<string, Rejection[]>;
  quarantine: Map<string, ClearedRequest[]>;
}

/**
 * Reads `cleared`, `rejected` and `quarantine` (read_committed, from the beginning) until `done`
 * holds and then `settleMs` passes with nothing new, so a trailing duplicate would still be seen.
 */
export async function readOutcomes(
  config: RedlineConfig,
  done: (o: Outcomes) => boolean,
  options: { timeoutMs?: number; settleMs?: number } = {},
): Promise<Outcomes> {
  const outcomes: Outcomes = { cleared: new Map(), rejected: new Map(), quarantine: new Map() };
  const topics = {
    [topicName(config, 'cleared')]: 'cleared',
    [topicName(config, 'rejected')]: 'rejected',
    [topicName(config, 'quarantine')]: 'quarantine',
  } as const;
  const cleared = codecFor('ClearedRequest');
  const rejection = codecFor('Rejection');
  const consumer = createKafka(config).consumer({
    groupId: `${config.topics.prefix}outcomes.${randomUUID()}`,
    readUncommitted: false,
  });
  let last = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: Object.keys(topics), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const key = message.key?.toString() ?? '';
        const which = topics[topic];
        if (which === 'rejected') {
          outcomes.rejected.set(key, [
            ...(outcomes.rejected.get(key) ?? []),
            rejection.decode(message.value!),
          ]);
        } else if (which) {
          const map = outcomes[which];
          map.set(key, [...(map.get(key) ?? []), cleared.decode(message.value!)]);
        }
        last = Date.now();
      },
    });
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const settle = options.settleMs ?? 1_500;
    while (Date.now() < deadline && !(done(outcomes) && Date.now() - last > settle)) {
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await consumer.disconnect();
  }
  return outcomes;
}
