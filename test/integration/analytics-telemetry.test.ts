import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSpanExporter } from '../../analytics/span-exporter.ts';
import { loadConfig } from '../../infra/config/load.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { SpanEvent } from '../../schemas/types.ts';

// Telemetry against the real Kafka: spans reach `<prefix>spans` as Avro through the
// BatchSpanProcessor and KafkaSpanExporter, one trace continues across a Kafka hop and a job
// carrier, and an unreachable Kafka only drops (and counts) spans.
//
// The traced process is a child started the way redline processes start: telemetry first, then
// (dynamically) everything that imports kafkajs, so the KafkaJS instrumentation can patch it.

const CHILD = `
const { installKafkaInstrumentation, startTelemetry } = await import('./infra/telemetry.ts');
const instrumented = installKafkaInstrumentation();
const { context, SpanKind, SpanStatusCode, trace } = await import('@opentelemetry/api');
const { createKafka } = await import('./pipeline/kafka/client.ts');
const tc = await import('./infra/trace-context.ts');
const config = JSON.parse(process.env.TEST_CONFIG);
const hop = process.env.TEST_HOP;
const telemetry = startTelemetry({ serviceName: 'redline-test', config });
const tracer = trace.getTracer('test');
const kafka = createKafka(config);
const producer = kafka.producer();
await producer.connect();
const root = tracer.startSpan('redline.produce', { kind: SpanKind.PRODUCER, attributes: { 'redline.stage': 'producer' } });
const headers = tc.injectIntoKafkaHeaders({}, trace.setSpan(context.active(), root));
await producer.send({ topic: hop, messages: [{ key: 'r1', value: 'v', headers }] });
root.end();
await producer.disconnect();
const consumer = kafka.consumer({ groupId: hop + '-stage' });
await consumer.connect();
await consumer.subscribe({ topic: hop, fromBeginning: true });
const carrier = await new Promise((resolve) => {
  void consumer.run({
    eachMessage: async ({ message }) => {
      const parent = tc.extractFromKafkaHeaders(message.headers);
      const stage = tracer.startSpan('stage.auth', { kind: SpanKind.CONSUMER, attributes: { 'redline.stage': 'auth' } }, parent);
      resolve(tc.toTraceCarrier(trace.setSpan(parent, stage)));
      stage.end();
    },
  });
});
await consumer.disconnect();
// A BullMQ job's data crosses as JSON; the worker continues the trace from it.
const worker = tracer.startSpan('worker.process', { attributes: { 'redline.stage': 'worker' } }, tc.fromTraceCarrier(JSON.parse(JSON.stringify(carrier))));
worker.setStatus({ code: SpanStatusCode.ERROR, message: 'BACKEND_TIMEOUT' });
worker.setAttribute('error.type', 'BACKEND_TIMEOUT');
worker.end();
await telemetry.shutdown();
const stats = { ...telemetry.exporter.stats };
console.log('RESULT ' + JSON.stringify({ instrumented, traceId: root.spanContext().traceId, rootSpanId: root.spanContext().spanId, stats }));
`;

const prefix = `t-analytics-telemetry-${randomBytes(4).toString('hex')}.`;
const base = loadConfig({ env: {} });
const config: RedlineConfig = {
  ...base,
  topics: { ...base.topics, prefix, partitions: 1 },
  analytics: {
    ...base.analytics,
    exporter: { ...base.analytics.exporter, scheduledDelayMs: 100, sendTimeoutMs: 2_000 },
  },
};
const hop = `${prefix}hop`;

beforeAll(async () => {
  const admin = createKafka(config).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: topicName(config, 'spans'), numPartitions: 1 },
      { topic: hop, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
});

afterAll(async () => {
  const admin = createKafka(config).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topicName(config, 'spans'), hop] }).catch(() => {});
  await admin.disconnect();
});

async function readSpans(count: number): Promise<SpanEvent[]> {
  const kafka = createKafka(config);
  const consumer = kafka.consumer({ groupId: `${prefix}reader-${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(config, 'spans'), fromBeginning: true });
  const spans: SpanEvent[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        spans.push(codecFor('SpanEvent').decode(message.value));
        if (spans.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return spans;
}

describe('telemetry against the real Kafka', () => {
  it('exports spans as Avro to the spans topic (and to OTLP when configured), one trace across a Kafka hop and a job carrier', async () => {
    // An OTLP/HTTP receiver standing in for Jaeger's collector endpoint.
    const otlp: Array<{ path: string; bytes: number }> = [];
    const collector = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        otlp.push({ path: req.url ?? '', bytes });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const env = {
      ...process.env,
      TEST_CONFIG: JSON.stringify(config),
      TEST_HOP: hop,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', CHILD],
      { cwd: process.cwd(), env, timeout: 60_000 },
    ).finally(() => collector.close());
    expect(otlp.some((r) => r.path === '/v1/traces' && r.bytes > 0)).toBe(true);
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    const result = JSON.parse(line!.slice('RESULT '.length));
    expect(result.instrumented).toBe(true);
    expect(result.stats).toMatchObject({ dropped: 0, failures: 0 });
    const spans = await readSpans(result.stats.exported);
    expect(spans).toHaveLength(result.stats.exported);
    const inTrace = spans.filter((s) => s.traceId === result.traceId);
    expect(inTrace.map((s) => s.name)).toEqual(
      expect.arrayContaining(['redline.produce', 'stage.auth', 'worker.process']),
    );
    const byName = new Map(inTrace.map((s) => [s.name, s]));
    expect(byName.get('stage.auth')!.parentSpanId).toBe(result.rootSpanId);
    expect(byName.get('worker.process')).toMatchObject({
      parentSpanId: byName.get('stage.auth')!.spanId,
      statusCode: 2,
      service: 'redline-test',
      attributes: expect.objectContaining({ 'error.type': 'BACKEND_TIMEOUT', 'redline.stage': 'worker' }),
    });
    // The KafkaJS instrumentation's process span continues the request's trace from the headers…
    expect(inTrace.some((s) => s.kind === 'consumer' && s.name === `process ${hop}`)).toBe(true);
    // …its send span did not overwrite the explicit per-message context (it is a trace of its own)…
    expect(
      spans.some((s) => s.kind === 'producer' && s.name === `send ${hop}` && s.traceId !== result.traceId),
    ).toBe(true);
    // …and the exporter's own sends to the spans topic made no spans.
    expect(spans.some((s) => s.attributes['messaging.destination.name'] === topicName(config, 'spans'))).toBe(
      false,
    );
  });

  it('drops and counts spans, without throwing, when Kafka is unreachable, and backs off', async () => {
    const unreachable = { ...config, kafka: { ...config.kafka, brokers: ['127.0.0.1:1'] } };
    const exporter = new KafkaSpanExporter({ config: unreachable });
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    for (let i = 0; i < 5; i++) provider.getTracer('t').startSpan(`s${i}`).end();
    const exportOnce = () =>
      new Promise<ExportResult>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
    expect((await exportOnce()).code).toBe(ExportResultCode.FAILED);
    expect(exporter.stats).toEqual({ exported: 0, dropped: 5, failures: 1 });
    // Within the back-off Kafka is not tried again: the spans are dropped at once.
    expect((await exportOnce()).code).toBe(ExportResultCode.FAILED);
    expect(exporter.stats).toEqual({ exported: 0, dropped: 10, failures: 1 });
    await exporter.shutdown();
  });
});
