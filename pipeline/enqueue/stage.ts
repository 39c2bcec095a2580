import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ClearedRequest } from '../../schemas/types.ts';
import { RateLimiter } from '../../workers/limits/rate-limiter.ts';
import type { StageDefinition, StageFactory } from '../stage.ts';
import type { StageCore } from '../verdict.ts';
import { admissionRequest, decideEnqueue, type EnqueuePlan, type EnqueuePolicy } from './core.ts';
import { addJobs } from './jobs.ts';

// The enqueue stage: cleared requests become BullMQ jobs on their model's queue. The runner calls
// the core (limiters in Redis, then the pure decision); passing plans leave through `deliver`
// (BullMQ), rejections go to `rejected` as in every stage. Nothing is produced to `results`.

const createEnqueueStage: StageFactory = async ({ config }) => {
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const limiter = new RateLimiter(redis, config.workers.limits);
  const policy: EnqueuePolicy = { topics: config.topics, enqueue: config.workers.enqueue };
  const queues = new Map<string, Queue>();
  const queueFor = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: redis });
      queues.set(name, queue);
    }
    return queue;
  };

  // The one impure step: ask the limiters, then decide purely.
  const core: StageCore<ClearedRequest, EnqueuePlan> = async (input, ctx) => {
    const admission = await limiter.admit(admissionRequest(input, policy.enqueue));
    return decideEnqueue(input, { ...ctx, admission }, policy);
  };

  const definition: StageDefinition<ClearedRequest, EnqueuePlan> = {
    name: 'enqueue',
    input: 'cleared',
    inputType: 'ClearedRequest',
    // Unused: passing plans are delivered to BullMQ by `deliver`.
    output: 'results',
    outputType: 'InferenceResult',
    core,
    deliver: (outputs, headers) => addJobs(queueFor, outputs, headers, policy.enqueue.keepJobsSeconds),
    close: async () => {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await redis.quit();
    },
  };
  return definition as unknown as StageDefinition;
};

export default createEnqueueStage;
