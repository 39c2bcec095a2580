import { type Job, UnrecoverableError, WaitingError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { isRedlineError } from '../../pipeline/errors.ts';
import type { InferenceResult, Rejection } from '../../schemas/types.ts';
import type { BackendRequest, BackendResponse, ModelBackend } from '../backends/types.ts';
import type { InferenceJobData } from '../job.ts';
import type { ResultSink } from '../results/publisher.ts';
import type { IsolationMode } from './config.ts';
import type { OutputScanVerdict, PoolHooks } from './hooks.ts';
import { isolationFor } from './isolation.ts';
import { poolMetrics } from './metrics.ts';
import type { PoolRegistry } from './registry.ts';
import { childSpan, failSpan, startJobSpans } from './spans.ts';
import { streamAndScan } from './streamed-call.ts';

// The BullMQ processor of one model queue: run the backend (in-process or sandboxed), honour a
// preemption (back to the queue with its priority), scan the output, publish the one outcome.

const log = createLogger('pool.processor');

/** The abort reason of a preemption; any other abort is treated as a failure of the attempt. */
export const PREEMPTED = 'redline:preempted';

/** Codes that end a request at once, whatever attempts are left. */
const TERMINAL_CODES = new Set(['BACKEND_UNAVAILABLE', 'OUTPUT_BLOCKED']);

export interface ProcessorContext {
  model: string;
  config: RedlineConfig;
  registry: PoolRegistry;
  sink: ResultSink;
  /** The connection BullMQ completes this queue's jobs on (the worker's own). */
  completions: Redis;
  /** Jobs this process runs for the model now (the scheduler polls while every slot is busy). */
  occupancy: { running: number };
  backendFor(isolation: IsolationMode): ModelBackend;
  hooks: PoolHooks;
}

export interface JobOutcome {
  /** `result`: handed to the outbox (a re-run's duplicate is dropped there, and counted in the metric). */
  outcome: 'result' | 'rejected' | 'duplicate';
}

/**
 * The code a failed call ends with. The resilience layer wraps errors it does not know (a sandbox
 * that broke its limits) as model errors, keeping the original as `cause`: a sandbox code wins.
 */
export function failureCode(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as Error).cause, depth++) {
    if (isRedlineError(e) && e.code.startsWith('SANDBOX_')) return e.code;
  }
  return isRedlineError(err) ? err.code : 'BACKEND_ERROR';
}

export function createProcessor(ctx: ProcessorContext) {
  const modelConfig = ctx.config.workers.pool.models[ctx.model];
  const metrics = poolMetrics();

  return async function process(
    job: Job<InferenceJobData>,
    token: string | undefined,
    signal?: AbortSignal,
  ): Promise<JobOutcome> {
    const data = job.data;
    const jobId = job.id ?? data.requestId;
    const startedAt = Date.now();
    let preempted = false;
    let completed = false;
    const spans = startJobSpans(data, startedAt);
    ctx.occupancy.running++;
    // Written with the registry's next flush, off the job's path.
    ctx.registry.started({
      id: jobId,
      priority: job.priority,
      preemptions: data.preemptions ?? 0,
      enqueuedAt: data.enqueuedAt,
      startedAt,
    });
    try {
      // A re-run (stalled, retried, preempted) may find its outcome already out.
      if (job.attemptsStarted > 1 && (await ctx.sink.isPublished(data.requestId))) {
        return { outcome: 'duplicate' };
      }
      const isolation = isolationFor(modelConfig, data.parameters.weight, ctx.config.workers.sandbox);
      const backend = ctx.backendFor(isolation);
      const t0 = performance.now();
      const backendSpan = childSpan(spans, 'backend.call', 'backend', data.model);
      const request: BackendRequest = {
        requestId: data.requestId,
        model: data.model,
        prompt: data.prompt,
        maxTokens: data.parameters.maxTokens,
        temperature: data.parameters.temperature,
        signal: signal ?? new AbortController().signal,
      };
      // Streamed models are scanned as the output arrives (the verdict comes with the call).
      const streamScanner =
        modelConfig?.streamOutput && backend.stream ? ctx.hooks.streamScanner?.() : undefined;
      let streamed: OutputScanVerdict | undefined;
      let response: BackendResponse;
      try {
        if (streamScanner && backend.stream) {
          streamed = await streamAndScan(backend.stream(request), streamScanner);
          response = { text: '', status: 200 };
        } else {
          response = await backend.complete(request);
        }
        backendSpan.setAttribute('http.response.status_code', response.status);
        backendSpan.end();
      } catch (err) {
        if (signal?.aborted && signal.reason === PREEMPTED) {
          backendSpan.setAttribute('redline.preempted', true);
          backendSpan.end();
          spans.root.setAttribute('redline.preempted', true);
          preempted = true;
          // Order matters: once moved to wait, another slot may start it at any moment.
          await Promise.all([
            job.updateData({ ...data, preemptions: (data.preemptions ?? 0) + 1 }),
            ctx.registry.finished(jobId, true),
          ]);
          await job.moveToWait(token);
          metrics.preemptions.inc({ model: ctx.model });
          metrics.jobs.inc({ model: ctx.model, outcome: 'preempted' });
          throw new WaitingError();
        }
        failSpan(backendSpan, failureCode(err), (err as { status?: number }).status);
        backendSpan.end();
        await ctx.hooks.recordOutcome?.(ctx.model, {
          ok: false,
          latencyMs: performance.now() - t0,
          breakerOpen: failureCode(err) === 'BACKEND_UNAVAILABLE',
        });
        return await failAttempt(job, err);
      }
      const backendMs = performance.now() - t0;
      await ctx.hooks.recordOutcome?.(ctx.model, { ok: true, latencyMs: backendMs });

      const scanSpan = childSpan(spans, 'output.scan', 'output-scan', data.model);
      if (streamed) scanSpan.setAttribute('redline.streamed', true);
      const verdict = streamed
        ? streamed
        : ctx.hooks.scanOutput
          ? await ctx.hooks.scanOutput(response.text, {
              requestId: data.requestId,
              tenant: data.tenant,
              model: data.model,
            })
          : { action: 'pass' as const, output: response.text, redactions: [] };
      if (verdict.action === 'block') failSpan(scanSpan, verdict.code);
      else if (verdict.redactions.length > 0)
        scanSpan.setAttribute('redline.redactions', verdict.redactions.join(','));
      scanSpan.end();
      if (verdict.action === 'block') {
        return await reject(job, verdict.code, verdict.detail);
      }
      const completedAt = Date.now();
      const result: InferenceResult = {
        requestId: data.requestId,
        tenant: data.tenant,
        model: data.model,
        output: verdict.output,
        redactions: verdict.redactions,
        timings: {
          queueWaitMs: startedAt - data.enqueuedAt,
          backendMs,
          totalMs: completedAt - data.enqueuedAt,
        },
        preemptions: data.preemptions ?? 0,
        batchId: data.batchId,
        batchIndex: data.batchIndex,
        completedAt,
      };
      // The append goes out on the connection the job's completion goes out on next, and Redis runs
      // them in that order: the job waits for the write, not for a reply (one round trip per job,
      // as for BullMQ alone).
      const handOff = ctx.sink.handOffResult(result, data.trace ?? {}, ctx.completions);
      void handOff.outcome.then(
        (published) =>
          metrics.jobs.inc({ model: ctx.model, outcome: published === 'published' ? 'result' : 'duplicate' }),
        (err: unknown) =>
          log.error(
            { requestId: data.requestId, err: (err as Error).message },
            'result lost: the outbox refused it',
          ),
      );
      await handOff.written;
      metrics.queueWait.observe({ model: ctx.model }, result.timings.queueWaitMs / 1000);
      completed = true;
      return { outcome: 'result' };
    } finally {
      ctx.occupancy.running--;
      spans.root.end();
      if (completed) {
        // A completed job never runs again, so nothing can race this clean-up: off the job's path.
        void ctx.registry.finished(jobId, false).catch(() => {});
      } else if (!preempted) {
        // A failed attempt may run again at once elsewhere: its entry goes before the slot is released.
        await ctx.registry.finished(jobId, false).catch(() => {});
      }
    }
  };

  async function reject(job: Job<InferenceJobData>, code: string, detail: string): Promise<JobOutcome> {
    const data = job.data;
    const rejection: Rejection = {
      requestId: data.requestId,
      tenant: data.tenant,
      stage: 'workers',
      code,
      detail,
      batchId: data.batchId,
      batchIndex: data.batchIndex,
      rejectedAt: Date.now(),
    };
    const published = await ctx.sink.publishRejection(rejection, data.trace ?? {});
    metrics.jobs.inc({ model: ctx.model, outcome: published === 'published' ? 'rejected' : 'duplicate' });
    return { outcome: published === 'published' ? 'rejected' : 'duplicate' };
  }

  /** Retries per the job's attempts; the last attempt (or a terminal code) publishes the rejection. */
  async function failAttempt(job: Job<InferenceJobData>, err: unknown): Promise<never> {
    const code = failureCode(err);
    const attempts = job.opts.attempts ?? 1;
    const last = job.attemptsMade + 1 >= attempts;
    log.warn(
      { requestId: job.data.requestId, model: ctx.model, code, attempt: job.attemptsMade + 1, attempts },
      'backend call failed',
    );
    if (!last && !TERMINAL_CODES.has(code)) {
      metrics.jobs.inc({ model: ctx.model, outcome: 'retry' });
      throw err instanceof Error ? err : new Error(String(err));
    }
    const detail =
      code === 'BACKEND_UNAVAILABLE'
        ? 'the model backend is unavailable'
        : code === 'SANDBOX_LIMIT'
          ? `the sandbox ran out of its resource limits (attempt ${job.attemptsMade + 1} of ${attempts})`
          : `the model backend failed (attempt ${job.attemptsMade + 1} of ${attempts})`;
    await reject(job, code, detail);
    throw new UnrecoverableError(`${code}: ${detail}`);
  }
}
