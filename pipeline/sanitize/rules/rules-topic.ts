import { randomUUID } from 'node:crypto';
import type { RedlineConfig } from '../../../infra/config/schema.ts';
import type { Logger } from '../../../infra/log.ts';
import { createKafka } from '../../kafka/client.ts';
import { topicName } from '../../topics.ts';
import { logOffer, type RuleStore } from './rule-store.ts';

// Rule sets published on the compacted `rules` topic: key `sanitize`, value the rule file's text
// (YAML or JSON, with its `version`). Compaction keeps the newest record per key, so a stage that
// starts reads the rule set in force. Every stage instance must see every version, so each reads
// the topic with a consumer group of its own and commits nothing.

export const RULES_KEY = 'sanitize';

export async function publishRuleSet(
  config: Pick<RedlineConfig, 'kafka' | 'topics'>,
  text: string,
): Promise<void> {
  const producer = createKafka(config).producer();
  await producer.connect();
  try {
    await producer.send({ topic: topicName(config, 'rules'), messages: [{ key: RULES_KEY, value: text }] });
  } finally {
    await producer.disconnect();
  }
}

export async function followRulesTopic(
  config: Pick<RedlineConfig, 'kafka' | 'topics'>,
  store: RuleStore,
  logger: Logger,
): Promise<() => Promise<void>> {
  const consumer = createKafka(config).consumer({
    groupId: `${config.kafka.clientId}.sanitize-rules.${randomUUID()}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(config, 'rules'), fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message, partition, topic }) => {
      if (message.key?.toString() !== RULES_KEY || !message.value) return;
      logOffer(
        logger,
        `${topic}[${partition}]@${message.offset}`,
        store.offer(message.value.toString('utf8')),
      );
    },
  });
  return () => consumer.disconnect();
}
