import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { createKafka, type Producer } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { InferenceResult, Rejection } from '../../schemas/types.ts';
import { type Appending, type OutboxEntry, type PublishOutcome, ResultOutbox } from './outbox.ts';
import { ResultRelay } from './relay.ts';

// Publishes the one outcome of a request: an InferenceResult to `results` or a Rejection to
// `rejected`, keyed by request id, with the request's trace context in the headers. Outcomes go
// through the result outbox (Redis) and its relay (to Kafka); the result marker set with the
// append makes a second publication for the same request id (a stalled job's re-run) a no-op.

const log = createLogger('results');

export type { Appending, PublishOutcome };

/** What the pool needs from a publisher (the integration tests and bench use the real one). */
export interface ResultSink {
  /** Resolves once the outcome is durable (in the outbox); the relay puts it on Kafka shortly after. */
  publishResult(result: InferenceResult, trace: Record<string, string>): Promise<PublishOutcome>;
  publishRejection(rejection: Rejection, trace: Record<string, string>): Promise<PublishOutcome>;
  /**
   * Appends a result on `via`, the connection its job's completion will go out on: once `written`
   * resolves the job may complete, without waiting for Redis's reply (see ResultOutbox.append).
   */
  handOffResult(result: InferenceResult, trace: Record<string, string>, via: Redis): Appending;
  /** Whether the request's outcome is already out (a re-run then skips the backend). */
  isPublished(requestId: string): Promise<boolean>;
  close(): Promise<void>;
}

export class ResultPublisher implements ResultSink {
  private readonly resultsTopic: string;
  private readonly rejectedTopic: string;

  private constructor(
    private readonly outbox: ResultOutbox,
    private readonly relay: ResultRelay,
    private readonly producer: Producer,
    private readonly reader: Redis,
    config: RedlineConfig,
  ) {
    this.resultsTopic = topicName(config, 'results');
    this.rejectedTopic = topicName(config, 'rejected');
  }

  /**
   * `redis` holds the outbox and markers (a connection without BullMQ's scripts keeps its calls
   * cheap); the relay's blocking reads get a duplicate of it.
   */
  static async connect(config: RedlineConfig, redis: Redis): Promise<ResultPublisher> {
    const pool = config.workers.pool;
    const producer = createKafka(config).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const stream = `${config.topics.prefix}results-outbox`;
    const outbox = new ResultOutbox(redis, {
      stream,
      markerPrefix: `${config.topics.prefix}result-marker:`,
      markerTtlMs: pool.resultMarkerTtlMs,
      maxBatch: pool.maxResultBatch,
    });
    const reader = redis.duplicate();
    const relay = new ResultRelay(reader, redis, producer, {
      stream,
      group: 'relay',
      consumer: `relay-${randomUUID()}`,
      maxBatch: pool.maxResultBatch,
      claimIdleMs: pool.relayClaimIdleMs,
    });
    try {
      await relay.start();
    } catch (err) {
      reader.disconnect();
      await producer.disconnect();
      throw err;
    }
    return new ResultPublisher(outbox, relay, producer, reader, config);
  }

  /** Outcomes this process's relay put on Kafka (any process's outbox entries). */
  get relayed(): number {
    return this.relay.relayedCount;
  }

  publishResult(result: InferenceResult, trace: Record<string, string>): Promise<PublishOutcome> {
    return this.logged(this.outbox.append(this.resultEntry(result, trace)).outcome, result.requestId);
  }

  publishRejection(rejection: Rejection, trace: Record<string, string>): Promise<PublishOutcome> {
    const entry = this.entry(
      rejection.requestId,
      this.rejectedTopic,
      codecFor('Rejection').encode(rejection),
      trace,
    );
    return this.logged(this.outbox.append(entry).outcome, rejection.requestId);
  }

  handOffResult(result: InferenceResult, trace: Record<string, string>, via: Redis): Appending {
    const appending = this.outbox.append(this.resultEntry(result, trace), via);
    return { written: appending.written, outcome: this.logged(appending.outcome, result.requestId) };
  }

  isPublished(requestId: string): Promise<boolean> {
    return this.outbox.contains(requestId);
  }

  private resultEntry(result: InferenceResult, trace: Record<string, string>): OutboxEntry {
    return this.entry(result.requestId, this.resultsTopic, codecFor('InferenceResult').encode(result), trace);
  }

  private entry(requestId: string, topic: string, value: Buffer, trace: Record<string, string>): OutboxEntry {
    return {
      requestId,
      topic,
      value,
      traceparent: trace.traceparent ?? '',
      tracestate: trace.tracestate ?? '',
    };
  }

  private async logged(outcome: Promise<PublishOutcome>, requestId: string): Promise<PublishOutcome> {
    const o = await outcome;
    if (o === 'duplicate') log.info({ requestId }, 'outcome already published; skipped');
    return o;
  }

  /** Lets the relay carry what the outbox holds now, then disconnects. */
  async close(): Promise<void> {
    await this.relay.stop();
    this.reader.disconnect();
    await this.producer.disconnect();
  }
}
