import { createRequire, register as registerLoaderHook } from 'node:module';
import {
  type Context,
  DiagLogLevel,
  diag,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { countQueueDrops, KafkaSpanExporter, type SpanSink } from '../analytics/span-exporter.ts';
import type { RedlineConfig } from './config/schema.ts';
import { createLogger } from './log.ts';

// OpenTelemetry in a redline process: the Node SDK, W3C trace context, the KafkaJS
// instrumentation, finished spans to `<prefix>spans` through a BatchSpanProcessor and the
// KafkaSpanExporter, and to OTLP/HTTP as well when OTEL_EXPORTER_OTLP_ENDPOINT is set.
//
// ORDER MATTERS: the KafkaJS instrumentation patches kafkajs when it is loaded, so it must be
// installed before anything imports pipeline/kafka/client.ts (which imports kafkajs). A process
// entry point therefore does, before its other imports:
//
//   const { installKafkaInstrumentation, startTelemetry } = await import('../infra/telemetry.ts');
//   installKafkaInstrumentation();            // first: before kafkajs is imported
//   const { main } = await import('./cli.ts'); // everything that imports kafkajs comes after
//   ... startTelemetry({ serviceName, config }) once the configuration is loaded.
//
// (startTelemetry installs it too, which is enough when kafkajs has not been imported yet; it
// logs a warning when kafkajs was already loaded: stage spans and the runner's own header
// propagation still work, only the KafkaJS send/process spans are missing.) Nothing in this
// module imports kafkajs: the span exporter loads the Kafka client lazily.

const log = createLogger('telemetry');

let instrumentation: KafkaJsInstrumentation | undefined;
let kafkajsLoadedFirst = false;

function kafkajsAlreadyLoaded(): boolean {
  // ESM imports of a CommonJS package go through the CommonJS loader and land in its cache.
  return Object.keys(createRequire(import.meta.url).cache).some((k) =>
    /[\\/]node_modules[\\/]kafkajs[\\/]/.test(k),
  );
}

/**
 * Installs the KafkaJS instrumentation (idempotent). It works through import-in-the-middle's
 * loader hook, registered here for the `kafkajs` module only. Returns false when kafkajs had
 * already been loaded (too late to patch).
 */
export function installKafkaInstrumentation(): boolean {
  if (instrumentation) return !kafkajsLoadedFirst;
  kafkajsLoadedFirst = kafkajsAlreadyLoaded();
  registerLoaderHook('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: ['kafkajs'] },
  });
  instrumentation = new KafkaJsInstrumentation();
  registerInstrumentations({ instrumentations: [instrumentation] });
  return !kafkajsLoadedFirst;
}

/**
 * W3C trace context, except that an explicit `traceparent` already in the carrier is kept. The
 * stage runner writes each message's own context into its headers; the KafkaJS instrumentation
 * would otherwise overwrite it with the batch's send span (one parent for a whole batch of
 * different requests) and break "one trace per request".
 */
export class KeepExplicitTraceContextPropagator implements TextMapPropagator {
  private readonly w3c = new W3CTraceContextPropagator();
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    if (carrier && typeof carrier === 'object' && (carrier as Record<string, unknown>).traceparent != null)
      return;
    this.w3c.inject(ctx, carrier, setter);
  }
  extract: TextMapPropagator['extract'] = (ctx, carrier, getter) => this.w3c.extract(ctx, carrier, getter);
  fields(): string[] {
    return this.w3c.fields();
  }
}

export interface TelemetryOptions {
  serviceName: string;
  config: Pick<RedlineConfig, 'kafka' | 'topics' | 'analytics'>;
  /** Default true. The analytics consumer turns it off: a span per consumed span would feed itself. */
  instrumentKafka?: boolean;
  /** Replaces the Kafka producer of the span exporter (tests). */
  spanSink?: () => Promise<SpanSink>;
  /** More processors, e.g. a SimpleSpanProcessor(InMemorySpanExporter) in an end-to-end test. */
  extraSpanProcessors?: SpanProcessor[];
  env?: NodeJS.ProcessEnv;
}

export interface Telemetry {
  exporter: KafkaSpanExporter;
  /** Exports what is buffered now. */
  forceFlush(): Promise<void>;
  /** Flushes and stops; safe to call twice. */
  shutdown(): Promise<void>;
}

let running: Telemetry | undefined;

/**
 * Starts telemetry for the process. The SDK registers process-wide globals, so a second call
 * (several stages in one process, a test) returns the running instance until it is shut down.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (running) return running;
  const env = options.env ?? process.env;
  if (options.instrumentKafka !== false && !installKafkaInstrumentation()) {
    log.warn('kafkajs was imported before telemetry started: KafkaJS send/process spans are off');
  }
  diag.setLogger(
    {
      error: (m) => log.error(m),
      warn: (m) => {
        // The BatchSpanProcessor reports queue-full drops only through diag; they count as dropped.
        const dropped = /^Dropped (\d+) spans because maxQueueSize reached/.exec(m);
        if (dropped) countQueueDrops(Number(dropped[1]));
        log.warn(m);
      },
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const settings = options.config.analytics.exporter;
  const batch = {
    maxQueueSize: settings.maxQueueSize,
    maxExportBatchSize: settings.maxExportBatchSize,
    scheduledDelayMillis: settings.scheduledDelayMs,
    exportTimeoutMillis: settings.sendTimeoutMs * 2,
  };
  const exporter = new KafkaSpanExporter({
    config: options.config,
    ...(options.spanSink ? { sink: options.spanSink } : {}),
  });
  const spanProcessors: SpanProcessor[] = [
    new BatchSpanProcessor(exporter, batch),
    ...(options.extraSpanProcessors ?? []),
  ];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    // The exporter reads the endpoint (and headers) from the standard OTEL_* variables.
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter(), batch));
  }
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    autoDetectResources: false,
    spanProcessors,
    textMapPropagator: new KeepExplicitTraceContextPropagator(),
    // Only traces: no metric readers or log processors from the OTEL_* defaults (they would
    // try an OTLP collector on localhost every minute).
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  running = {
    exporter,
    async forceFlush() {
      await Promise.all(spanProcessors.map((p) => p.forceFlush()));
      // The processor does not wait for an export its timer started earlier; the exporter does.
      await exporter.forceFlush();
    },
    shutdown() {
      stopped ??= sdk
        .shutdown()
        .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'telemetry shutdown'))
        .finally(() => {
          running = undefined;
        });
      return stopped;
    },
  };
  return running;
}
