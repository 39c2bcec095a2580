import { type Context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SPAN_ATTRIBUTES } from '../../analytics/span-attributes.ts';
import { fromTraceCarrier } from '../../infra/trace-context.ts';
import type { InferenceJobData } from '../job.ts';

// The worker's spans, children of the request's trace (carried in the job data from the enqueue
// stage): the time the job waited in its queue, the backend call and the output scan. The error is
// marked only on the span where it happened, so the analytics consumer clusters it there.

const tracer = trace.getTracer('redline-workers');

export interface JobSpans {
  /** The worker's span; backend and scan spans are its children. */
  root: Span;
  ctx: Context;
}

export function startJobSpans(data: InferenceJobData, startedAt: number): JobSpans {
  const parent = fromTraceCarrier(data.trace);
  const common = { [SPAN_ATTRIBUTES.model]: data.model, [SPAN_ATTRIBUTES.requestId]: data.requestId };
  // The wait happened before this process saw the job: a span with the measured bounds.
  tracer
    .startSpan(
      'queue.wait',
      {
        kind: SpanKind.INTERNAL,
        startTime: data.enqueuedAt,
        attributes: { ...common, [SPAN_ATTRIBUTES.stage]: 'queue' },
      },
      parent,
    )
    .end(Math.max(startedAt, data.enqueuedAt));
  const root = tracer.startSpan(
    'worker process',
    {
      kind: SpanKind.CONSUMER,
      startTime: startedAt,
      attributes: { ...common, [SPAN_ATTRIBUTES.stage]: 'worker' },
    },
    parent,
  );
  return { root, ctx: trace.setSpan(parent, root) };
}

export function childSpan(spans: JobSpans, name: string, stage: string, model: string): Span {
  return tracer.startSpan(
    name,
    {
      kind: name === 'backend.call' ? SpanKind.CLIENT : SpanKind.INTERNAL,
      attributes: { [SPAN_ATTRIBUTES.stage]: stage, [SPAN_ATTRIBUTES.model]: model },
    },
    spans.ctx,
  );
}

export function failSpan(span: Span, code: string, status?: number): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  span.setAttribute(SPAN_ATTRIBUTES.errorType, code);
  if (status !== undefined) span.setAttribute(SPAN_ATTRIBUTES.httpStatus, status);
}
