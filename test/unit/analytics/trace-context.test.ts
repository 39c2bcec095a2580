import { ROOT_CONTEXT, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { KeepExplicitTraceContextPropagator } from '../../../infra/telemetry.ts';
import {
  extractFromKafkaHeaders,
  fromTraceCarrier,
  injectIntoKafkaHeaders,
  toTraceCarrier,
} from '../../../infra/trace-context.ts';

const request: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
};
const other: SpanContext = {
  ...request,
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
};
const ctxOf = (sc: SpanContext) => trace.setSpanContext(ROOT_CONTEXT, sc);

// No telemetry SDK and no global propagator here: the helpers must work without them.

describe('trace context through Kafka headers', () => {
  it('injects W3C traceparent and extracts it back from Buffer header values (as KafkaJS delivers them)', () => {
    const headers = injectIntoKafkaHeaders(
      { 'redline-reason': 'x' } as Record<string, string>,
      ctxOf(request),
    );
    expect(headers.traceparent).toBe(`00-${request.traceId}-${request.spanId}-01`);
    const asDelivered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(trace.getSpanContext(extractFromKafkaHeaders(asDelivered))).toMatchObject({
      ...request,
      isRemote: true,
    });
    expect(
      trace.getSpanContext(extractFromKafkaHeaders({ traceparent: [Buffer.from(headers.traceparent!)] }))
        ?.traceId,
    ).toBe(request.traceId);
  });

  it('replaces a context copied from the consumed message', () => {
    const headers = injectIntoKafkaHeaders(
      { traceparent: `00-${other.traceId}-${other.spanId}-01` },
      ctxOf(request),
    );
    expect(headers.traceparent).toContain(request.traceId);
  });

  it('yields the root context when headers carry none', () => {
    expect(extractFromKafkaHeaders(undefined)).toBe(ROOT_CONTEXT);
    expect(trace.getSpanContext(extractFromKafkaHeaders({ other: Buffer.from('x') }))).toBeUndefined();
  });
});

describe('trace context in BullMQ job data', () => {
  it('round-trips through a JSON-safe record', () => {
    const carrier = toTraceCarrier(ctxOf(request));
    const viaJson = JSON.parse(JSON.stringify({ data: { traceContext: carrier } })).data.traceContext;
    expect(trace.getSpanContext(fromTraceCarrier(viaJson))?.traceId).toBe(request.traceId);
    expect(fromTraceCarrier(undefined)).toBe(ROOT_CONTEXT);
  });
});

describe('KeepExplicitTraceContextPropagator', () => {
  it('keeps a traceparent already in the carrier (the runner’s per-message context) and fills an empty one', () => {
    const p = new KeepExplicitTraceContextPropagator();
    const setter = { set: (c: Record<string, string>, k: string, v: string) => (c[k] = v) };
    const explicit = { traceparent: `00-${request.traceId}-${request.spanId}-01` };
    p.inject(ctxOf(other), explicit, setter);
    expect(explicit.traceparent).toContain(request.traceId);
    const empty: Record<string, string> = {};
    p.inject(ctxOf(other), empty, setter);
    expect(empty.traceparent).toContain(other.traceId);
    expect(p.fields()).toContain('traceparent');
  });
});
