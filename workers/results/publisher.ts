import type { Redis } from 'ioredis';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { createKafka, type IHeaders, type Producer } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { InferenceResult, Rejection } from '../../schemas/types.ts';
import { MarkedSender, type PublishOutcome } from './marked-sender.ts';
import { ResultMarker } from './marker.ts';

// Publishes the one outcome of a request: an InferenceResult to `results` or a Rejection to
// `rejected`, keyed by request id, with the request's trace context in the headers. The result
// marker makes a second publication for the same request id (a stalled job's re-run) a no-op.

const log = createLogger('results');

export type { PublishOutcome };

/** What the pool needs from a publisher (the integration tests and bench use the real one). */
export interface ResultSink {
  publishResult(result: InferenceResult, trace: Record<string, string>): Promise<PublishOutcome>;
  publishRejection(rejection: Rejection, trace: Record<string, string>): Promise<PublishOutcome>;
  /** Whether the request's outcome is already out (a re-run then skips the backend). */
  isPublished(requestId: string): Promise<boolean>;
  close(): Promise<void>;
}

const TRACE_HEADERS = ['traceparent', 'tracestate'];

function traceHeaders(trace: Record<string, string>): IHeaders {
  const headers: IHeaders = {};
  for (const name of TRACE_HEADERS) if (trace[name]) headers[name] = trace[name];
  return headers;
}

export class ResultPublisher implements ResultSink {
  private readonly sender: MarkedSender;
  private readonly resultsTopic: string;
  private readonly rejectedTopic: string;

  private constructor(
    private readonly producer: Producer,
    private readonly marker: ResultMarker,
    config: RedlineConfig,
  ) {
    this.sender = new MarkedSender(producer, marker, config.workers.pool.maxResultBatch);
    this.resultsTopic = topicName(config, 'results');
    this.rejectedTopic = topicName(config, 'rejected');
  }

  /** `redis` holds the result markers; a connection without BullMQ's scripts keeps its pipelines cheap. */
  static async connect(config: RedlineConfig, redis: Redis): Promise<ResultPublisher> {
    const producer = createKafka(config).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const pool = config.workers.pool;
    const marker = new ResultMarker(
      redis,
      `${config.topics.prefix}result-marker:`,
      pool.pendingMarkerTtlMs,
      pool.resultMarkerTtlMs,
    );
    return new ResultPublisher(producer, marker, config);
  }

  publishResult(result: InferenceResult, trace: Record<string, string>): Promise<PublishOutcome> {
    return this.publish(
      result.requestId,
      this.resultsTopic,
      codecFor('InferenceResult').encode(result),
      trace,
    );
  }

  publishRejection(rejection: Rejection, trace: Record<string, string>): Promise<PublishOutcome> {
    return this.publish(
      rejection.requestId,
      this.rejectedTopic,
      codecFor('Rejection').encode(rejection),
      trace,
    );
  }

  async isPublished(requestId: string): Promise<boolean> {
    return (await this.marker.state(requestId)) === 'done';
  }

  private async publish(
    requestId: string,
    topic: string,
    value: Buffer,
    trace: Record<string, string>,
  ): Promise<PublishOutcome> {
    const outcome = await this.sender.send(requestId, topic, {
      key: requestId,
      value,
      headers: traceHeaders(trace),
    });
    if (outcome === 'duplicate') log.info({ requestId }, 'outcome already published; skipped');
    return outcome;
  }

  async close(): Promise<void> {
    this.sender.close();
    await this.producer.disconnect();
  }
}
