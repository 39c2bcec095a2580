import {
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type TextMapGetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// W3C trace context across the pipeline's hops: Kafka message headers between stages, and a plain
// string record inside BullMQ job data between the enqueue stage and the workers. The W3C
// propagator is used directly rather than @opentelemetry/api's global one: trace context is part
// of the message contract, so it is carried even by a process that has not started the telemetry
// SDK (whose global propagator would be a no-op), as the stage runner does.

const w3c = new W3CTraceContextPropagator();

/** Kafka header values as KafkaJS delivers them: Buffers (or strings, or arrays of either). */
export type KafkaHeaderValue = Buffer | string | Array<Buffer | string> | undefined;
export type KafkaHeaders = Record<string, KafkaHeaderValue>;

const kafkaHeaderGetter: TextMapGetter<KafkaHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return value.map((v) => v.toString());
    return value.toString();
  },
};

/** The context carried by a consumed message's headers (ROOT_CONTEXT when it has none). */
export function extractFromKafkaHeaders(headers: KafkaHeaders | undefined): Context {
  return headers ? w3c.extract(ROOT_CONTEXT, headers, kafkaHeaderGetter) : ROOT_CONTEXT;
}

/**
 * Writes `ctx` (default: the active context) into the headers of a message about to be produced,
 * replacing any trace context it already had (e.g. copied from the consumed message).
 */
export function injectIntoKafkaHeaders<H extends Record<string, unknown>>(
  headers: H,
  ctx: Context = context.active(),
): H {
  const carrier = headers as Record<string, unknown>;
  delete carrier.traceparent;
  delete carrier.tracestate;
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return headers;
}

/** A plain record for BullMQ job data (e.g. `data.traceContext`): JSON-safe strings only. */
export function toTraceCarrier(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

/** The context of a job's trace carrier (ROOT_CONTEXT when missing). */
export function fromTraceCarrier(carrier: Record<string, string> | undefined | null): Context {
  return carrier ? w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter) : ROOT_CONTEXT;
}
