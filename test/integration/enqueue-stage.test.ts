import { setTimeout as sleep } from 'node:timers/promises';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import type { EnqueuePlan } from '../../pipeline/enqueue/core.ts';
import createEnqueueStage from '../../pipeline/enqueue/stage.ts';
import type { StageDefinition } from '../../pipeline/stage.ts';
import type { ClearedRequest, Tier } from '../../schemas/types.ts';
import { type InferenceJobData, queueName } from '../../workers/job.ts';

// The enqueue stage's core and deliver hook against the real Redis and BullMQ, as the runner
// calls them: idempotent jobs, tier priorities honoured by a real worker, batch delayed (never
// dropped), interactive over the limit rejected, trace headers carried into the job.

const run = `${process.pid}-${Date.now()}`;
const config = configSchema.parse({
  topics: { prefix: `test-enqueue-${run}.` },
  workers: {
    limits: {
      keyPrefix: `test:enqueue:${run}:`,
      // Small batch and interactive buckets, so the limits show within a test.
      tiers: { batch: { rate: 10, burst: 1 }, interactive: { rate: 1, burst: 3 } },
    },
  },
});
const logger = createLogger('test-enqueue');
const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
const stages: StageDefinition<ClearedRequest, EnqueuePlan>[] = [];
const queues: Queue[] = [];

async function stage(): Promise<StageDefinition<ClearedRequest, EnqueuePlan>> {
  const s = (await createEnqueueStage({ config, logger })) as unknown as StageDefinition<
    ClearedRequest,
    EnqueuePlan
  >;
  stages.push(s);
  return s;
}

function queue(model: string): Queue<InferenceJobData> {
  const q = new Queue<InferenceJobData>(queueName(config, model), { connection: redis });
  queues.push(q);
  return q;
}

afterAll(async () => {
  await Promise.all(queues.map((q) => q.obliterate({ force: true }).then(() => q.close())));
  await Promise.all(stages.map((s) => s.close?.()));
  const keys = await redis.keys(`${config.workers.limits.keyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function cleared(requestId: string, tier: Tier, over: Partial<ClearedRequest> = {}): ClearedRequest {
  return {
    requestId,
    tenant: 'acme',
    sessionId: null,
    model: 'm-default',
    operation: 'chat',
    prompt: null,
    templateId: null,
    slots: {},
    parameters: { maxTokens: 16, temperature: 0, weight: 1 },
    priorityHint: null,
    batchId: tier === 'batch' ? 'batch-1' : null,
    batchIndex: tier === 'batch' ? 0 : null,
    createdAt: Date.now(),
    producer: {},
    principal: { subject: 'svc', tenant: `tenant-${requestId}`, roles: [], tier, weightLevel: null },
    renderedPrompt: `prompt of ${requestId}`,
    normalizedPrompt: `prompt of ${requestId}`,
    findings: [],
    fingerprintScore: 0,
    detection: { score: 0, modelVersion: 'test' },
    ...over,
  };
}

/** What the runner does: the core per input, then deliver the passing ones with their headers. */
async function runBatch(
  s: StageDefinition<ClearedRequest, EnqueuePlan>,
  inputs: ClearedRequest[],
  headers: Array<Record<string, string>> = [],
) {
  const verdicts = [];
  const outputs: EnqueuePlan[] = [];
  const passingHeaders: Array<Record<string, string>> = [];
  for (const [i, input] of inputs.entries()) {
    const v = await s.core(input, { now: Date.now() });
    verdicts.push(v);
    if (v.kind === 'pass') {
      outputs.push(v.output);
      passingHeaders.push(headers[i] ?? {});
    }
  }
  if (outputs.length > 0) await s.deliver?.(outputs, passingHeaders);
  return verdicts;
}

describe('enqueue stage (real Redis, BullMQ)', () => {
  it('adds one job per request id, even when a batch is delivered twice or by two instances', async () => {
    const [a, b] = [await stage(), await stage()];
    const model = 'm-idem';
    const q = queue(model);
    const inputs = [cleared('idem-1', 'standard', { model }), cleared('idem-2', 'standard', { model })];
    const headers = [
      { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'rl=1' },
    ];
    await runBatch(a, inputs, headers);
    await runBatch(a, inputs, headers); // the runner's transaction aborted: the batch comes again
    await runBatch(b, inputs, headers); // another enqueue instance after a rebalance
    const counts = await q.getJobCounts('wait', 'prioritized', 'delayed', 'active');
    expect(Object.values(counts).reduce((x, y) => x + y, 0)).toBe(2);
    const job = await q.getJob('idem-1');
    expect(job?.data).toMatchObject({
      requestId: 'idem-1',
      model,
      tier: 'standard',
      prompt: 'prompt of idem-1',
      trace: headers[0],
      preemptions: 0,
    });
    expect(job?.opts.priority).toBe(10);
    expect((await q.getJob('idem-2'))?.data.trace).toEqual({});
  });

  it('maps tiers to priorities that a BullMQ worker honours: interactive, then standard, then batch', async () => {
    const s = await stage();
    const model = 'm-prio';
    const q = queue(model);
    const order: Array<[Tier, string]> = [
      ['batch', 'p-b1'],
      ['standard', 'p-s1'],
      ['interactive', 'p-i1'],
      ['batch', 'p-b2'],
      ['interactive', 'p-i2'],
      ['standard', 'p-s2'],
    ];
    const verdicts = await runBatch(
      s,
      order.map(([tier, id]) => cleared(id, tier, { model })),
    );
    expect(verdicts.map((v) => v.kind)).toEqual(Array(6).fill('pass'));
    expect((await q.getJob('p-i1'))?.opts.priority).toBe(1);
    expect((await q.getJob('p-b1'))?.opts.priority).toBe(100);

    const processed: string[] = [];
    const worker = new Worker<InferenceJobData>(
      q.name,
      async (job: Job<InferenceJobData>) => {
        processed.push(job.id ?? '');
      },
      { connection: new Redis(config.redis.url, { maxRetriesPerRequest: null }), concurrency: 1 },
    );
    try {
      const deadline = Date.now() + 10_000;
      while (processed.length < 6 && Date.now() < deadline) await sleep(50);
    } finally {
      await worker.close();
      await worker.disconnect();
    }
    expect(processed).toEqual(['p-i1', 'p-i2', 'p-s1', 'p-s2', 'p-b1', 'p-b2']);
  });

  it('delays batch over its limit (paced, never dropped) and rejects interactive over its limit', async () => {
    const s = await stage();
    const model = 'm-limits';
    const q = queue(model);
    const tenant = { subject: 'svc', tenant: 'one-tenant', roles: [], weightLevel: null };
    const batch = Array.from({ length: 5 }, (_, i) =>
      cleared(`lim-b${i}`, 'batch', { model, batchIndex: i, principal: { ...tenant, tier: 'batch' } }),
    );
    const batchVerdicts = await runBatch(s, batch);
    expect(batchVerdicts.every((v) => v.kind === 'pass')).toBe(true);
    const delays = batchVerdicts.map((v) => (v.kind === 'pass' ? v.output.delayMs : -1));
    // Burst 1 at 10/s: the first runs now, the others are reserved ~100 ms apart.
    expect(delays[0]).toBe(0);
    for (let i = 1; i < delays.length; i++) expect(delays[i] ?? 0).toBeGreaterThan(delays[i - 1] ?? 0);
    expect(delays.at(-1)).toBeGreaterThanOrEqual(350);
    expect(await q.getJobState('lim-b4')).toBe('delayed');

    const interactive = Array.from({ length: 5 }, (_, i) =>
      cleared(`lim-i${i}`, 'interactive', { model, principal: { ...tenant, tier: 'interactive' } }),
    );
    const iv = await runBatch(s, interactive);
    // Burst 3 at 1/s: three pass, the rest are refused with a retry-after.
    expect(iv.map((v) => v.kind)).toEqual(['pass', 'pass', 'pass', 'reject', 'reject']);
    const refused = iv[4];
    expect(refused).toMatchObject({ kind: 'reject', code: 'RATE_LIMITED' });
    if (refused?.kind === 'reject') expect(refused.detail).toMatch(/retry after \d+ ms/);
    expect(await q.getJob('lim-i4')).toBeUndefined();

    // Every batch job is processed once its delay has passed: none was dropped.
    const processed = new Set<string>();
    const worker = new Worker<InferenceJobData>(
      q.name,
      async (job: Job<InferenceJobData>) => {
        processed.add(job.id ?? '');
      },
      { connection: new Redis(config.redis.url, { maxRetriesPerRequest: null }), concurrency: 4 },
    );
    try {
      const deadline = Date.now() + 15_000;
      while (processed.size < 8 && Date.now() < deadline) await sleep(50);
    } finally {
      await worker.close();
      await worker.disconnect();
    }
    expect([...processed].sort()).toEqual(
      [...batch.map((r) => r.requestId), 'lim-i0', 'lim-i1', 'lim-i2'].sort(),
    );
  });

  it('rejects a request id that BullMQ cannot use as a job id, without touching the queue', async () => {
    const s = await stage();
    const [v] = await runBatch(s, [cleared('12345', 'standard', { model: 'm-badid' })]);
    expect(v).toMatchObject({ kind: 'reject', code: 'BAD_REQUEST_ID' });
  });
});
