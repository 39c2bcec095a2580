import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { codecFor } from '../schemas/codec.ts';
import type { SchemaName } from '../schemas/registry.ts';
import type { DlqRecord, Rejection } from '../schemas/types.ts';
import { isRedlineError } from './errors.ts';
import type { StageDefinition } from './stage.ts';
import type { LogicalTopic } from './topics.ts';

// Turns one chunk of consumed messages into the records a stage's transaction produces. No Kafka
// here: the runner hands in raw messages and sends what comes back.

export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface OutRecord {
  topic: LogicalTopic;
  key: string | Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
}

export interface ChunkOutcome {
  records: OutRecord[];
  /** Passing outputs for a stage with a `deliver` hook, with their headers. */
  delivered: { outputs: unknown[]; headers: Array<Record<string, string>> };
  counts: {
    in: number;
    out: number;
    rejected: Map<string, number>;
    quarantined: number;
    dlq: Map<string, number>;
  };
}

/** The request fields every stage's input carries, for building a rejection. */
interface RequestIdentity {
  requestId: string;
  tenant: string;
  batchId?: string | null;
  batchIndex?: number | null;
}

const tracer = trace.getTracer('redline-stage-runner');
// W3C trace context is part of the message contract, so it is carried even in a process that has
// not started the telemetry SDK (whose global propagator would then be a no-op).
const w3c = new W3CTraceContextPropagator();

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function dlqRecord(stage: string, msg: RawMessage, err: unknown, now: number): OutRecord {
  const code = isRedlineError(err) ? err.code : 'CORE_FAILED';
  const record: DlqRecord = {
    sourceTopic: msg.topic,
    partition: msg.partition,
    offset: msg.offset,
    key: msg.key,
    value: msg.value,
    headers: msg.headers,
    errorCode: code,
    // The message of a decoding error names the schema and the fault, never the content.
    errorMessage: (err instanceof Error ? err.message : String(err)).slice(0, 500),
    stage,
    failedAt: now,
  };
  return {
    topic: 'dlq',
    key: msg.key,
    value: codecFor('DlqRecord').encode(record),
    headers: { ...msg.headers, 'redline-error': code },
  };
}

function rejection(
  stage: string,
  input: RequestIdentity,
  code: string,
  detail: string,
  now: number,
): Rejection {
  return {
    requestId: input.requestId,
    tenant: input.tenant,
    stage,
    code,
    detail,
    batchId: input.batchId ?? null,
    batchIndex: input.batchIndex ?? null,
    rejectedAt: now,
  };
}

/** Runs `items` through `fn` with at most `limit` in flight, keeping input order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

export async function processChunk(
  def: StageDefinition,
  messages: RawMessage[],
  options: { now: number; concurrency: number },
): Promise<ChunkOutcome> {
  const inCodec = codecFor(def.inputType);
  // The definition ties outputType to the core's output type; the codec is looked up by name.
  const outCodec = codecFor(def.outputType as SchemaName) as unknown as { encode(v: unknown): Buffer };
  const outcome: ChunkOutcome = {
    records: [],
    delivered: { outputs: [], headers: [] },
    counts: { in: messages.length, out: 0, rejected: new Map(), quarantined: 0, dlq: new Map() },
  };
  const perMessage = await mapLimited(messages, options.concurrency, async (msg): Promise<OutRecord[]> => {
    const parent = w3c.extract(ROOT_CONTEXT, msg.headers, defaultTextMapGetter);
    const span = tracer.startSpan(
      `${def.name} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'redline.stage': def.name, 'messaging.destination.name': msg.topic },
      },
      parent,
    );
    const headers: Record<string, string> = { ...msg.headers };
    delete headers.traceparent;
    delete headers.tracestate;
    w3c.inject(trace.setSpan(context.active(), span), headers, defaultTextMapSetter);
    try {
      let input: unknown;
      try {
        input = inCodec.decode(msg.value);
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'undecodable' });
        span.setAttribute('error.type', isRedlineError(err) ? err.code : 'DECODE_FAILED');
        bump(outcome.counts.dlq, isRedlineError(err) ? err.code : 'DECODE_FAILED');
        return [dlqRecord(def.name, msg, err, options.now)];
      }
      const id = input as RequestIdentity;
      span.setAttribute('redline.request_id', id.requestId);
      let verdict: Awaited<ReturnType<typeof def.core>>;
      try {
        verdict = await context.with(trace.setSpan(parent, span), () =>
          def.core(input, { now: options.now }),
        );
      } catch (err) {
        // A dependency outage is not the message's fault: fail the chunk so its transaction aborts
        // and the runner retries it, rather than dead-lettering valid traffic.
        if (isRedlineError(err) && err.retryable) throw err;
        // A core that throws on one message is a poison message: park it, keep the partition moving.
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'core failed' });
        span.setAttribute('error.type', 'CORE_FAILED');
        bump(outcome.counts.dlq, 'CORE_FAILED');
        return [dlqRecord(def.name, msg, err, options.now)];
      }
      const key = msg.key ?? id.requestId;
      if (verdict.kind === 'pass') {
        outcome.counts.out++;
        if (def.deliver) {
          outcome.delivered.outputs.push(verdict.output);
          outcome.delivered.headers.push(headers);
          return [];
        }
        return [{ topic: def.output, key, value: outCodec.encode(verdict.output), headers }];
      }
      span.setAttribute('redline.reason_code', verdict.code);
      if (verdict.kind === 'quarantine') {
        outcome.counts.quarantined++;
        return [
          {
            topic: 'quarantine',
            key,
            value: outCodec.encode(verdict.output),
            headers: { ...headers, 'redline-reason': verdict.code },
          },
        ];
      }
      span.setStatus({ code: SpanStatusCode.ERROR, message: verdict.code });
      span.setAttribute('error.type', verdict.code);
      bump(outcome.counts.rejected, verdict.code);
      const value = codecFor('Rejection').encode(
        rejection(def.name, id, verdict.code, verdict.detail, options.now),
      );
      return [{ topic: 'rejected', key, value, headers }];
    } finally {
      span.end();
    }
  });
  for (const records of perMessage) outcome.records.push(...records);
  return outcome;
}
