import { randomUUID } from 'node:crypto';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import type { Logger } from '../../infra/log.ts';
import { type Consumer, createKafka } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { Alert, Rejection, SpanEvent } from '../../schemas/types.ts';

// The dashboard's one Kafka consumer: `alerts`, `spans` and `rejected`, decoded and handed to the
// dashboard state. It reads with a throw-away group id (every dashboard sees every record; nothing
// of the pipeline's groups moves), committed records only, and never commits offsets.

export interface FeedHandlers {
  alert(alert: Alert): void;
  span(span: SpanEvent, partition: number): void;
  rejection(rejection: Rejection): void;
  /** The spans partitions this consumer owns (all of them: the group has one member). */
  spansAssigned?(partitions: number[]): void;
  /** After each batch of spans (windows close per batch, not per span). */
  spansBatchEnd?(): void;
}

export interface FeedCounts {
  alerts: number;
  spans: number;
  rejections: number;
  undecodable: number;
}

export interface TopicFeedsOptions {
  config: RedlineConfig;
  handlers: FeedHandlers;
  logger: Logger;
  /** Start at the topics' beginning (replays, tests); default: only what arrives from now on. */
  fromBeginning?: boolean;
  /** How long start() waits for the group to be joined before it gives up waiting (not failing). */
  joinTimeoutMs?: number;
}

export class TopicFeeds {
  readonly counts: FeedCounts = { alerts: 0, spans: 0, rejections: 0, undecodable: 0 };
  private consumer: Consumer | undefined;

  constructor(private readonly options: TopicFeedsOptions) {}

  /** Resolves once the consumer reads, so that records published afterwards are seen. */
  async start(): Promise<void> {
    const { config, handlers, logger } = this.options;
    const topics = {
      alerts: topicName(config, 'alerts'),
      spans: topicName(config, 'spans'),
      rejected: topicName(config, 'rejected'),
    };
    const kafka = createKafka(config, { clientId: `${config.kafka.clientId}-dashboard` });
    const consumer = kafka.consumer({
      groupId: `${config.topics.prefix}dashboard.${randomUUID()}`,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      // An idle fetch returns after this long: bounds start() and how stale an empty feed is.
      maxWaitTimeInMs: 1_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      handlers.spansAssigned?.(payload.memberAssignment[topics.spans] ?? []);
    });
    // The first fetch after joining resolves the starting offsets ("latest" for a new group):
    // once it has returned, every record published afterwards will be read.
    const ready = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.FETCH, () => {
        off();
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: Object.values(topics),
      fromBeginning: this.options.fromBeginning ?? false,
    });
    const codecs = {
      alert: codecFor('Alert'),
      span: codecFor('SpanEvent'),
      rejection: codecFor('Rejection'),
    };
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        for (const message of batch.messages) {
          if (!message.value) continue;
          try {
            if (batch.topic === topics.spans) {
              handlers.span(codecs.span.decode(message.value), batch.partition);
              this.counts.spans++;
            } else if (batch.topic === topics.alerts) {
              handlers.alert(codecs.alert.decode(message.value));
              this.counts.alerts++;
            } else {
              handlers.rejection(codecs.rejection.decode(message.value));
              this.counts.rejections++;
            }
          } catch {
            // A record the dashboard cannot read is counted and shown, never fatal.
            this.counts.undecodable++;
          }
        }
        if (batch.topic === topics.spans) handlers.spansBatchEnd?.();
        await heartbeat();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        logger.warn({ topics }, 'dashboard consumer has not fetched yet; continuing');
        resolve();
      }, this.options.joinTimeoutMs ?? 30_000);
    });
    await Promise.race([ready, timeout]);
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
