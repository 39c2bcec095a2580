import { createHash } from 'node:crypto';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import type { ClearedRequest, Tier } from '../../schemas/types.ts';
import { type InferenceJobData, queueName, TIER_PRIORITY } from '../../workers/job.ts';
import type { Admission, AdmissionRequest } from '../../workers/limits/rate-limiter.ts';
import { pass, reject, type StageContext, type Verdict } from '../verdict.ts';
import { ENQUEUE_CODES } from './codes.ts';
import type { EnqueueConfig } from './config.ts';

// The enqueue stage's pure decision: given a cleared request and what the limiters said, which
// BullMQ job to add (queue, id, priority, delay), or why not.
//
// Over the limit, by tier:
// - interactive: rejected with RATE_LIMITED and a retry-after (waiting would break its latency).
// - standard: may wait up to enqueue.standardMaxDelayMs (its tenant tokens reserved, the job
//   delayed), which smooths bursts of a well-behaved service; beyond that, RATE_LIMITED.
// - batch: never dropped. Tenant tokens are reserved ahead (the job delayed, paced at the
//   tenant's batch rate); past enqueue.batchMaxDelayMs it is delayed by the retry-after plus a
//   jittered back-off. Batch skips the adaptive model limit (enqueue.modelLimitedTiers): it waits
//   in the queue behind every other tier, and the pool's concurrency bounds what reaches the model.

export interface EnqueuePlan {
  queue: string;
  jobId: string;
  priority: number;
  delayMs: number;
  /** `trace` is empty here: the stage copies it from the Kafka headers when it adds the job. */
  data: InferenceJobData;
}

export interface EnqueueContext extends StageContext {
  /** What the tenant and model buckets said (workers/limits/rate-limiter.ts). */
  admission: Admission;
}

export interface EnqueuePolicy {
  topics: RedlineConfig['topics'];
  enqueue: EnqueueConfig;
}

/** The tier that sets priority and limits: the principal's, or a lower one the caller asked for (never higher). */
export function effectiveTier(request: ClearedRequest): Tier {
  const granted = request.principal.tier;
  const hint = request.priorityHint;
  return hint !== null && TIER_PRIORITY[hint] > TIER_PRIORITY[granted] ? hint : granted;
}

/** What to ask the limiters for this request. */
export function admissionRequest(request: ClearedRequest, enqueue: EnqueueConfig): AdmissionRequest {
  const tier = effectiveTier(request);
  const maxWaitMs =
    tier === 'interactive' ? 0 : tier === 'standard' ? enqueue.standardMaxDelayMs : enqueue.batchMaxDelayMs;
  const model = enqueue.modelLimitedTiers.includes(tier) ? request.model : null;
  return { tenant: request.principal.tenant, tier, model, n: 1, maxWaitMs };
}

/** BullMQ refuses integer-like custom ids and ids holding ':'. */
export function isValidJobId(id: string): boolean {
  return id.length > 0 && `${Number.parseInt(id, 10)}` !== id && !id.includes(':');
}

export function decideEnqueue(
  request: ClearedRequest,
  ctx: EnqueueContext,
  policy: EnqueuePolicy,
): Verdict<EnqueuePlan> {
  if (!isValidJobId(request.requestId)) {
    return reject(ENQUEUE_CODES.badRequestId, 'the request id must not be an integer or contain ":"');
  }
  const tier = effectiveTier(request);
  const { admission } = ctx;
  let delayMs = admission.delayMs;
  if (!admission.allowed) {
    if (tier !== 'batch') return reject(ENQUEUE_CODES.rateLimited, rateLimitDetail(request, tier, admission));
    delayMs = admission.retryAfterMs + backoffJitter(request.requestId, policy.enqueue.batchBackoffJitterMs);
  }
  return pass({
    queue: queueName(policy, request.model),
    jobId: request.requestId,
    priority: TIER_PRIORITY[tier],
    delayMs,
    data: {
      requestId: request.requestId,
      tenant: request.principal.tenant,
      model: request.model,
      prompt: request.renderedPrompt,
      parameters: request.parameters,
      tier,
      batchId: request.batchId,
      batchIndex: request.batchIndex,
      // When the job becomes runnable: queue wait and ageing do not count a deliberate delay.
      enqueuedAt: ctx.now + delayMs,
      trace: {},
      preemptions: 0,
    },
  });
}

function rateLimitDetail(request: ClearedRequest, tier: Tier, admission: Admission): string {
  const retry = `retry after ${Math.max(1, admission.retryAfterMs)} ms`;
  return admission.limitedBy === 'model'
    ? `model ${request.model} is admitting fewer requests while its backend recovers; ${retry}`
    : `rate limit of the ${tier} tier exceeded; ${retry}`;
}

/** A spread in [0, spanMs) fixed by the request id, so a re-delivered request gets the same delay. */
function backoffJitter(requestId: string, spanMs: number): number {
  if (spanMs <= 0) return 0;
  return createHash('sha256').update(requestId).digest().readUInt32BE(0) % spanMs;
}
