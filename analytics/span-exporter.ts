import { context } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Counter, Registry } from 'prom-client';
import type { RedlineConfig } from '../infra/config/schema.ts';
import { createLogger } from '../infra/log.ts';
import { topicName } from '../pipeline/topics.ts';
import { codecFor } from '../schemas/codec.ts';
import { toSpanEvent } from './span-event.ts';

// The custom SpanExporter behind the BatchSpanProcessor: finished spans → Avro SpanEvent records
// on `<prefix>spans`, keyed by trace id. It never throws and never waits on Kafka for longer than
// `sendTimeoutMs`: when Kafka is unreachable, spans are dropped and counted, and Kafka is not
// tried again for `reconnectBackoffMs`. Its own sends run with tracing suppressed (no spans
// about spans).

const log = createLogger('span-exporter');

/** Where exported spans go; the default is a KafkaJS producer (loaded lazily, see below). */
export interface SpanSink {
  send(topic: string, messages: Array<{ key: string; value: Buffer }>): Promise<void>;
  close(): Promise<void>;
}

export const telemetryRegistry = new Registry();
const droppedCounter = new Counter({
  name: 'redline_spans_dropped_total',
  help: 'finished spans not delivered to Kafka (unreachable, timed out or failed to encode)',
  registers: [telemetryRegistry],
});
/** Spans the batch span processor dropped because its queue was full (it does not expose a count). */
export function countQueueDrops(count: number): void {
  droppedCounter.inc(count);
}
const exportedCounter = new Counter({
  name: 'redline_spans_exported_total',
  help: 'finished spans delivered to Kafka',
  registers: [telemetryRegistry],
});

export interface KafkaSpanExporterOptions {
  config: Pick<RedlineConfig, 'kafka' | 'topics' | 'analytics'>;
  /** Replaces the Kafka producer (tests, or another transport). */
  sink?: () => Promise<SpanSink>;
  now?: () => number;
}

/**
 * The Kafka producer is created on first export through a dynamic import, so that importing this
 * module does not load kafkajs before the instrumentation is installed (infra/telemetry.ts).
 */
async function kafkaSink(config: KafkaSpanExporterOptions['config']): Promise<SpanSink> {
  const { createKafka, logLevel } = await import('../pipeline/kafka/client.ts');
  const timeout = config.analytics.exporter.sendTimeoutMs;
  const kafka = createKafka(config, {
    clientId: `${config.kafka.clientId}-spans`,
    connectionTimeout: Math.min(timeout, 3_000),
    requestTimeout: timeout,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    // Unreachable Kafka is reported once by the exporter, not by every KafkaJS retry.
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return {
    async send(topic, messages) {
      await producer.send({ topic, acks: 1, messages });
    },
    close: () => producer.disconnect(),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class KafkaSpanExporter implements SpanExporter {
  private sink: SpanSink | undefined;
  private connecting: Promise<SpanSink> | undefined;
  private retryAt = 0;
  private shutDown = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly topic: string;
  readonly stats = { exported: 0, dropped: 0, failures: 0 };

  constructor(private readonly options: KafkaSpanExporterOptions) {
    this.topic = topicName(options.config, 'spans');
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const done = context.with(suppressTracing(context.active()), () => this.send(spans));
    this.pending.add(done);
    void done.then((result) => {
      this.pending.delete(done);
      resultCallback(result);
    });
  }

  private drop(count: number, reason: string, err?: unknown): ExportResult {
    this.stats.dropped += count;
    droppedCounter.inc(count);
    return { code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(reason) };
  }

  private async send(spans: ReadableSpan[]): Promise<ExportResult> {
    const now = this.options.now ?? Date.now;
    if (this.shutDown) return this.drop(spans.length, 'exporter shut down');
    if (now() < this.retryAt) return this.drop(spans.length, 'Kafka unreachable (backing off)');
    const messages: Array<{ key: string; value: Buffer }> = [];
    const codec = codecFor('SpanEvent');
    for (const span of spans) {
      try {
        const event = toSpanEvent(span);
        messages.push({ key: event.traceId, value: codec.encode(event) });
      } catch {
        this.drop(1, 'encode failed');
      }
    }
    if (messages.length === 0) return { code: ExportResultCode.SUCCESS };
    const timeoutMs = this.options.config.analytics.exporter.sendTimeoutMs;
    try {
      const sink = await withTimeout(this.connect(), timeoutMs);
      await withTimeout(sink.send(this.topic, messages), timeoutMs);
      if (this.stats.failures > 0 && this.retryAt > 0)
        log.info({ topic: this.topic }, 'span export to Kafka recovered');
      this.retryAt = 0;
      this.stats.exported += messages.length;
      exportedCounter.inc(messages.length);
      return { code: ExportResultCode.SUCCESS };
    } catch (err) {
      if (this.retryAt === 0) {
        log.warn(
          { topic: this.topic, err: (err as Error).message },
          'span export to Kafka failed; dropping spans',
        );
      }
      this.stats.failures++;
      this.retryAt = now() + this.options.config.analytics.exporter.reconnectBackoffMs;
      this.resetSink();
      return this.drop(messages.length, 'send failed', err);
    }
  }

  private connect(): Promise<SpanSink> {
    if (this.sink) return Promise.resolve(this.sink);
    this.connecting ??= (this.options.sink ?? (() => kafkaSink(this.options.config)))().then(
      (sink) => {
        this.sink = sink;
        this.connecting = undefined;
        return sink;
      },
      (err: unknown) => {
        this.connecting = undefined;
        throw err;
      },
    );
    return this.connecting;
  }

  private resetSink(): void {
    const sink = this.sink;
    this.sink = undefined;
    if (sink) void sink.close().catch(() => {});
  }

  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.shutDown = true;
    const sink = this.sink;
    this.sink = undefined;
    if (sink) await sink.close().catch(() => {});
  }
}
