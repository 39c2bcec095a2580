import { describe, expect, it } from 'vitest';
import { enqueueConfigSchema } from '../../../pipeline/enqueue/config.ts';
import {
  admissionRequest,
  decideEnqueue,
  type EnqueuePlan,
  type EnqueuePolicy,
  effectiveTier,
} from '../../../pipeline/enqueue/core.ts';
import { bulkJobsByQueue } from '../../../pipeline/enqueue/jobs.ts';
import type { Verdict } from '../../../pipeline/verdict.ts';
import type { ClearedRequest, Tier } from '../../../schemas/types.ts';
import type { Admission } from '../../../workers/limits/rate-limiter.ts';

const policy: EnqueuePolicy = {
  topics: { prefix: 'redline.', partitions: 1, replicationFactor: 1 },
  enqueue: enqueueConfigSchema.parse({}),
};

function request(tier: Tier, over: Partial<ClearedRequest> = {}): ClearedRequest {
  return {
    requestId: 'req-0001',
    tenant: 'acme',
    sessionId: null,
    model: 'llama-3',
    operation: 'chat',
    prompt: 'hello',
    templateId: null,
    slots: {},
    parameters: { maxTokens: 64, temperature: 0.2, weight: 3 },
    priorityHint: null,
    batchId: null,
    batchIndex: null,
    createdAt: 1,
    producer: {},
    principal: { subject: 'svc', tenant: 'acme', roles: [], tier, weightLevel: null },
    renderedPrompt: 'hello',
    normalizedPrompt: 'hello',
    findings: [],
    fingerprintScore: 0,
    detection: { score: 0.01, modelVersion: 'v1' },
    ...over,
  };
}

const admitted: Admission = {
  allowed: true,
  delayMs: 0,
  retryAfterMs: 0,
  remaining: 10,
  limitedBy: null,
  modelRate: 100,
};
const overTenant: Admission = {
  allowed: false,
  delayMs: 0,
  retryAfterMs: 120,
  remaining: 0,
  limitedBy: 'tenant',
  modelRate: null,
};
const overModel: Admission = {
  allowed: false,
  delayMs: 0,
  retryAfterMs: 40,
  remaining: 9,
  limitedBy: 'model',
  modelRate: 30,
};

const NOW = 1_700_000_000_000;
const decide = (req: ClearedRequest, admission: Admission) =>
  decideEnqueue(req, { now: NOW, admission }, policy);

function passed(v: Verdict<EnqueuePlan>): EnqueuePlan {
  if (v.kind !== 'pass') throw new Error(`expected pass, got ${JSON.stringify(v)}`);
  return v.output;
}

describe('decideEnqueue', () => {
  it('maps the tier to the BullMQ priority, interactive first', () => {
    const p = (t: Tier) => passed(decide(request(t), admitted)).priority;
    expect(p('interactive')).toBe(1);
    expect(p('standard')).toBe(10);
    expect(p('batch')).toBe(100);
    expect(p('interactive')).toBeLessThan(p('standard'));
  });

  it('uses the request id as job id and the model queue', () => {
    const plan = passed(decide(request('standard'), admitted));
    expect(plan).toMatchObject({ jobId: 'req-0001', queue: 'redline.model.llama-3', delayMs: 0 });
    expect(plan.data).toMatchObject({
      requestId: 'req-0001',
      tenant: 'acme',
      prompt: 'hello',
      tier: 'standard',
      enqueuedAt: NOW,
      preemptions: 0,
      trace: {},
    });
  });

  it('rejects interactive over the tenant limit with RATE_LIMITED and a retry-after, nothing secret', () => {
    const v = decide(request('interactive', { renderedPrompt: 'sk-secret-prompt' }), overTenant);
    expect(v).toMatchObject({ kind: 'reject', code: 'RATE_LIMITED' });
    if (v.kind !== 'reject') return;
    expect(v.detail).toContain('retry after 120 ms');
    expect(v.detail).not.toContain('sk-secret');
    expect(v.detail).not.toContain('acme');
  });

  it('names the model when the adaptive model limit refused', () => {
    const v = decide(request('interactive'), overModel);
    expect(v).toMatchObject({ kind: 'reject', code: 'RATE_LIMITED' });
    if (v.kind === 'reject') expect(v.detail).toMatch(/model llama-3 .*retry after 40 ms/);
  });

  it('rejects standard past its wait allowance, delays it within', () => {
    expect(decide(request('standard'), overTenant)).toMatchObject({ kind: 'reject', code: 'RATE_LIMITED' });
    const plan = passed(decide(request('standard'), { ...admitted, delayMs: 300 }));
    expect(plan.delayMs).toBe(300);
    expect(plan.data.enqueuedAt).toBe(NOW + 300);
  });

  it('never drops batch: reserved tokens give the delay; a refusal gives retry-after plus jitter', () => {
    expect(passed(decide(request('batch'), { ...admitted, delayMs: 5_000 })).delayMs).toBe(5_000);
    const plan = passed(decide(request('batch'), overTenant));
    expect(plan.delayMs).toBeGreaterThanOrEqual(120);
    expect(plan.delayMs).toBeLessThan(120 + policy.enqueue.batchBackoffJitterMs);
    // The same request always gets the same delay (a re-delivered batch is not reshuffled).
    expect(passed(decide(request('batch'), overTenant)).delayMs).toBe(plan.delayMs);
    const others = new Set(
      Array.from(
        { length: 20 },
        (_, i) => passed(decide(request('batch', { requestId: `r-${i}` }), overTenant)).delayMs,
      ),
    );
    expect(others.size).toBeGreaterThan(10);
  });

  it('rejects request ids BullMQ cannot use as a job id', () => {
    for (const requestId of ['12345', 'a:b', '']) {
      expect(decide(request('standard', { requestId }), admitted)).toMatchObject({
        kind: 'reject',
        code: 'BAD_REQUEST_ID',
      });
    }
    expect(decide(request('standard', { requestId: '12345a' }), admitted).kind).toBe('pass');
  });
});

describe('effectiveTier and admissionRequest', () => {
  it('lets a caller lower its tier with a hint but never raise it', () => {
    expect(effectiveTier(request('interactive', { priorityHint: 'batch' }))).toBe('batch');
    expect(effectiveTier(request('batch', { priorityHint: 'interactive' }))).toBe('batch');
    expect(effectiveTier(request('standard', { priorityHint: null }))).toBe('standard');
  });

  it('asks for no wait on interactive, a short one on standard, the model limit only for non-batch', () => {
    const e = policy.enqueue;
    expect(admissionRequest(request('interactive'), e)).toEqual({
      tenant: 'acme',
      tier: 'interactive',
      model: 'llama-3',
      n: 1,
      maxWaitMs: 0,
    });
    expect(admissionRequest(request('standard'), e)).toMatchObject({
      maxWaitMs: e.standardMaxDelayMs,
      model: 'llama-3',
    });
    expect(admissionRequest(request('batch'), e)).toMatchObject({
      maxWaitMs: e.batchMaxDelayMs,
      model: null,
    });
  });
});

describe('bulkJobsByQueue', () => {
  it('groups per model queue, sets id, priority, delay and copies only the trace headers', () => {
    const a = passed(decide(request('interactive', { requestId: 'a1', model: 'm1' }), admitted));
    const b = passed(
      decide(request('batch', { requestId: 'b1', model: 'm2' }), { ...admitted, delayMs: 900 }),
    );
    const c = passed(decide(request('standard', { requestId: 'c1', model: 'm1' }), admitted));
    const headers: Array<Record<string, string>> = [
      { traceparent: '00-abc-def-01', tracestate: 'k=v', other: 'x' },
      {},
      { traceparent: '00-1-2-01' },
    ];
    const byQueue = bulkJobsByQueue([a, b, c], headers, 60);
    expect([...byQueue.keys()]).toEqual(['redline.model.m1', 'redline.model.m2']);
    const m1 = byQueue.get('redline.model.m1') ?? [];
    expect(m1.map((j) => j.opts.jobId)).toEqual(['a1', 'c1']);
    expect(m1[0]?.opts).toMatchObject({ priority: 1 });
    expect(m1[0]?.opts.delay).toBeUndefined();
    expect(m1[0]?.data.trace).toEqual({ traceparent: '00-abc-def-01', tracestate: 'k=v' });
    expect(m1[1]?.data.trace).toEqual({ traceparent: '00-1-2-01' });
    expect(byQueue.get('redline.model.m2')?.[0]?.opts).toMatchObject({
      jobId: 'b1',
      priority: 100,
      delay: 900,
    });
  });
});
