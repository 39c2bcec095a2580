import { SpanKind } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanEvent } from '../schemas/types.ts';
import { SPAN_ATTRIBUTES } from './span-attributes.ts';

// A finished OpenTelemetry span → the SpanEvent record of `redline.spans`. Pure.

const KIND_NAMES: Record<number, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

function attributeString(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(',');
  return String(value);
}

export function toSpanEvent(span: ReadableSpan): SpanEvent {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    if (value !== undefined && value !== null) attributes[key] = attributeString(value);
  }
  // An error recorded only as an exception still gets a class to cluster on.
  if (span.status.code === 2 && attributes[SPAN_ATTRIBUTES.errorType] === undefined) {
    const exception = span.events.find((e) => e.name === 'exception');
    const type = exception?.attributes?.['exception.type'];
    if (type !== undefined) attributes[SPAN_ATTRIBUTES.errorType] = attributeString(type);
  }
  const service = span.resource.attributes['service.name'];
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    kind: KIND_NAMES[span.kind] ?? 'internal',
    service: typeof service === 'string' ? service : 'unknown',
    startTimeMs: hrTimeToMilliseconds(span.startTime),
    durationMs: hrTimeToMilliseconds(span.duration),
    statusCode: span.status.code,
    statusMessage: span.status.message ?? null,
    attributes,
  };
}
