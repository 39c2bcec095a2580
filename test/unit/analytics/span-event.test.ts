import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { toSpanEvent } from '../../../analytics/span-event.ts';
import { codecFor } from '../../../schemas/codec.ts';

function finishedSpans(work: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'redline-auth' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  work(provider.getTracer('test'));
  return exporter.getFinishedSpans();
}

describe('toSpanEvent', () => {
  it('maps a finished OpenTelemetry span to the SpanEvent record, and it encodes as Avro', () => {
    const [child, parent] = finishedSpans((tracer) => {
      const root = tracer.startSpan('redline.produce', { kind: SpanKind.PRODUCER });
      const span = tracer.startSpan(
        'stage.auth',
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'redline.stage': 'auth',
            'error.type': 'AUTH_EXPIRED',
            'http.response.status_code': 401,
            tags: ['a', 'b'],
          },
          startTime: 1_700_000_000_000,
        },
        trace.setSpan(ROOT_CONTEXT, root),
      );
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'AUTH_EXPIRED' });
      span.end(1_700_000_000_025);
      root.end();
    });
    const event = toSpanEvent(child!);
    expect(event).toEqual({
      traceId: parent!.spanContext().traceId,
      spanId: child!.spanContext().spanId,
      parentSpanId: parent!.spanContext().spanId,
      name: 'stage.auth',
      kind: 'consumer',
      service: 'redline-auth',
      startTimeMs: 1_700_000_000_000,
      durationMs: 25,
      statusCode: 2,
      statusMessage: 'AUTH_EXPIRED',
      attributes: {
        'redline.stage': 'auth',
        'error.type': 'AUTH_EXPIRED',
        'http.response.status_code': '401',
        tags: 'a,b',
      },
    });
    expect(toSpanEvent(parent!)).toMatchObject({ parentSpanId: null, kind: 'producer', statusCode: 0 });
    const codec = codecFor('SpanEvent');
    expect({ ...codec.decode(codec.encode(event)) }).toEqual(event);
  });

  it('takes the error type from a recorded exception when error.type is missing', () => {
    const [span] = finishedSpans((tracer) => {
      const s = tracer.startSpan('backend.call');
      const err = new TypeError('fetch failed');
      s.recordException(err);
      s.setStatus({ code: SpanStatusCode.ERROR });
      s.end();
    });
    expect(toSpanEvent(span!).attributes['error.type']).toBe('TypeError');
  });
});
