import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { createKafka, type IHeaders, type Producer } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { InferenceResult, Rejection } from '../../schemas/types.ts';
import { BatchSender } from './batch-sender.ts';
import { ResultMarker } from './marker.ts';

// Publishes the one outcome of a request: an InferenceResult to `results` or a Rejection to
// `rejected`, keyed by request id, with the request's trace context in the headers. The result
// marker makes a second publication for the same request id (a stalled job's re-run) a no-op.

const log = createLogger('results');

export type PublishOutcome = 'published' | 'duplicate';

/** What the pool needs from a publisher (the integration tests and bench use the real one). */
export interface ResultSink {
  publishResult(result: InferenceResult, trace: Record<string, string>): Promise<PublishOutcome>;
  publishRejection(rejection: Rejection, trace: Record<string, string>): Promise<PublishOutcome>;
  /** Whether the request's outcome is already out (a re-run then skips the backend). */
  isPublished(requestId: string): Promise<boolean>;
  close(): Promise<void>;
}

const TRACE_HEADERS = ['traceparent', 'tracestate'];
/** How often a run that found another run's pending claim looks again. */
const PENDING_POLL_MS = 250;

function traceHeaders(trace: Record<string, string>): IHeaders {
  const headers: IHeaders = {};
  for (const name of TRACE_HEADERS) if (trace[name]) headers[name] = trace[name];
  return headers;
}

export class ResultPublisher implements ResultSink {
  private readonly sender: BatchSender;
  private readonly resultsTopic: string;
  private readonly rejectedTopic: string;

  private constructor(
    private readonly producer: Producer,
    private readonly marker: ResultMarker,
    config: RedlineConfig,
  ) {
    this.sender = new BatchSender(producer, config.workers.pool.maxResultBatch);
    this.resultsTopic = topicName(config, 'results');
    this.rejectedTopic = topicName(config, 'rejected');
  }

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
    return this.publishOnce(
      result.requestId,
      this.resultsTopic,
      codecFor('InferenceResult').encode(result),
      trace,
    );
  }

  publishRejection(rejection: Rejection, trace: Record<string, string>): Promise<PublishOutcome> {
    return this.publishOnce(
      rejection.requestId,
      this.rejectedTopic,
      codecFor('Rejection').encode(rejection),
      trace,
    );
  }

  /**
   * Claims the right to publish; null when the outcome is out already. A claim held by another run
   * (a publisher that stalled or crashed mid-send) is waited out: it turns `done` (nothing to do)
   * or expires (this run publishes), so a crashed publisher never leaves a request without outcome.
   */
  private async claim(requestId: string): Promise<string | null> {
    const claimId = randomUUID();
    for (;;) {
      const claim = await this.marker.claim(requestId, claimId);
      if (claim.claimed) return claim.value;
      if (claim.state === 'done') {
        log.info({ requestId }, 'outcome already published; skipped');
        return null;
      }
      await new Promise((r) => setTimeout(r, PENDING_POLL_MS));
    }
  }

  async isPublished(requestId: string): Promise<boolean> {
    return (await this.marker.state(requestId)) === 'done';
  }

  private async publishOnce(
    requestId: string,
    topic: string,
    value: Buffer,
    trace: Record<string, string>,
  ): Promise<PublishOutcome> {
    const claim = await this.claim(requestId);
    if (!claim) return 'duplicate';
    try {
      await this.sender.send(topic, { key: requestId, value, headers: traceHeaders(trace) });
    } catch (err) {
      await this.marker.release(requestId, claim).catch(() => {});
      throw err;
    }
    // Not awaited: the job completes after this returns and a completed job never runs again, so
    // the marker only has to turn `done` before the pending claim would expire.
    void this.marker.done(requestId).catch((err) => log.warn({ requestId, err: err.message }, 'result marker not set'));
    return 'published';
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
