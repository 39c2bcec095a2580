import { randomUUID } from 'node:crypto';
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/log.ts';
import createEnqueueStage from '../../pipeline/enqueue/stage.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { type RunningStage, startStage } from '../../pipeline/runner.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { ClearedRequest, Tier } from '../../schemas/types.ts';
import { type InferenceJobData, queueName } from '../../workers/job.ts';
import { limitsConfigSchema } from '../../workers/limits/config.ts';
import { countKeys, isolatedConfig } from '../helpers/kafka.ts';
import { makeCleared } from '../helpers/requests.ts';

// The enqueue stage under the real stage runner: cleared requests from Kafka become BullMQ jobs
// (through the deliver hook) or RATE_LIMITED rejections on the rejected topic, each request
// exactly one of the two; trace context reaches the job.

const logger = createLogger('test-enqueue-runner');
// What infra's telemetry set-up registers in a real process; without a propagator the runner
// cannot carry the producer's trace context at all.
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const running: RunningStage[] = [];
const cleanup: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const c of cleanup) await c();
  await redis.quit();
});

function cleared(tier: Tier, tenant: string, model: string): ClearedRequest {
  return makeCleared({
    requestId: randomUUID(),
    tenant,
    model,
    createdAt: Date.now(),
    principal: { subject: 'svc', tenant, roles: [], tier, weightLevel: null },
  });
}

describe('enqueue stage under the stage runner (real Kafka, Redis, BullMQ)', () => {
  it('turns each cleared request into exactly one job or one RATE_LIMITED rejection', async () => {
    const base = await isolatedConfig('enqueue');
    const keyPrefix = `test:enqueue-runner:${randomUUID()}:`;
    const config = {
      ...base,
      workers: {
        ...base.workers,
        // Interactive: 5 at once, then (almost) nothing; batch: burst 2 at 20/s, reserved ahead.
        limits: limitsConfigSchema.parse({
          keyPrefix,
          tiers: { interactive: { rate: 0.01, burst: 5 }, batch: { rate: 20, burst: 2 } },
        }),
      },
    };
    const model = 'sim-e2e';
    const queue = new Queue<InferenceJobData>(queueName(config, model), { connection: redis });
    cleanup.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    });

    const interactive = Array.from({ length: 20 }, () => cleared('interactive', 'tenant-i', model));
    const batch = Array.from({ length: 10 }, () => cleared('batch', 'tenant-b', model));
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const producer = createKafka(config).producer({ idempotent: true });
    await producer.connect();
    const codec = codecFor('ClearedRequest');
    await producer.send({
      topic: topicName(config, 'cleared'),
      messages: [...interactive, ...batch].map((r) => ({
        key: r.requestId,
        value: codec.encode(r),
        headers: { traceparent },
      })),
    });
    await producer.disconnect();

    const def = await createEnqueueStage({ config, logger });
    running.push(await startStage(def, { config, logger }));

    const rejected = await countKeys(config, 'rejected', 15, { timeoutMs: 60_000 });
    const deadline = Date.now() + 30_000;
    let jobs = 0;
    while (Date.now() < deadline) {
      const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed');
      jobs = Object.values(counts).reduce((a, b) => a + b, 0);
      if (jobs >= 15) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(jobs).toBe(15);
    expect(rejected.size).toBe(15);

    // Every request is exactly one of the two.
    for (const r of [...interactive, ...batch]) {
      const job = await queue.getJob(r.requestId);
      expect(Number(job !== undefined) + (rejected.get(r.requestId) ?? 0)).toBe(1);
    }
    // All batch requests were queued (some delayed), none rejected.
    const batchStates = await Promise.all(batch.map((r) => queue.getJobState(r.requestId)));
    expect(batchStates.filter((s) => s === 'delayed').length).toBeGreaterThanOrEqual(7);
    expect(batchStates.every((s) => s === 'delayed' || s === 'prioritized' || s === 'waiting')).toBe(true);

    const firstJob = await queue.getJob(interactive.find((r) => !rejected.has(r.requestId))?.requestId ?? '');
    expect(firstJob?.opts.priority).toBe(1);
    expect(firstJob?.data.trace.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
  }, 120_000);
});
