import { randomUUID } from 'node:crypto';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import type { ModelBackend } from '../backends/types.ts';
import { type InferenceJobData, queueName, TIER_PRIORITY } from '../job.ts';
import type { ResultSink } from '../results/publisher.ts';
import { CancelChannel, cancelChannelName } from './cancel-channel.ts';
import type { IsolationMode } from './config.ts';
import type { PoolHooks } from './hooks.ts';
import { createProcessor, type JobOutcome, PREEMPTED } from './processor.ts';
import { PoolRegistry, registryKeys } from './registry.ts';
import { PreemptionScheduler } from './scheduler.ts';

// The worker pool of one process: per model, a BullMQ worker with the model's concurrency, a
// preemption scheduler, and the shared cancel channel. Backends, the result sink and the hooks are
// handed in, so the same pool runs with the real backends, the sim backend or a test backend.

const log = createLogger('pool');

/** Where a model's backend comes from, per isolation mode. */
export interface BackendProvider {
  /** The model's backend, run in this process. */
  inline(model: string): ModelBackend;
  /** The model's backend in a sandbox (worker thread or child process). */
  sandboxed?(model: string, mode: 'thread' | 'process'): ModelBackend;
}

export interface WorkerPoolOptions {
  config: RedlineConfig;
  /** Models to serve; defaults to the keys of `workers.pool.models`. */
  models?: string[];
  backends: BackendProvider;
  sink: ResultSink;
  hooks?: PoolHooks;
  /** BullMQ key prefix (the enqueue stage's); default `bull`. */
  bullPrefix?: string;
}

interface ModelRunner {
  model: string;
  queue: string;
  worker: Worker<InferenceJobData, JobOutcome>;
  queueHandle: Queue;
  scheduler: PreemptionScheduler;
  registry: PoolRegistry;
}

function redisConnection(url: string): Redis {
  // BullMQ workers block on Redis; their commands must wait out a reconnect, never fail fast.
  return new Redis(url, { maxRetriesPerRequest: null });
}

export class WorkerPool {
  readonly id = randomUUID();
  private readonly runners = new Map<string, ModelRunner>();
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private channel: CancelChannel | undefined;
  private readonly bullPrefix: string;
  private closed = false;
  /** Connections handed to BullMQ (which leaves passed-in connections open) and backends made here. */
  private readonly connections: Redis[] = [];
  private readonly backendsMade: ModelBackend[] = [];

  private constructor(private readonly opts: WorkerPoolOptions) {
    // The registry's small writes from every slot coalesce into one socket write per tick.
    this.redis = new Redis(opts.config.redis.url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
    this.subscriber = redisConnection(opts.config.redis.url);
    this.bullPrefix = opts.bullPrefix ?? 'bull';
  }

  static async start(opts: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(opts);
    try {
      await pool.init();
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  private async init(): Promise<void> {
    const { config } = this.opts;
    const models = this.opts.models ?? Object.keys(config.workers.pool.models);
    if (models.length === 0) throw new Error('no models to serve: set workers.pool.models or pass models');
    this.channel = await CancelChannel.open(
      this.redis,
      this.subscriber,
      cancelChannelName(this.bullPrefix),
      (msg) => this.cancelLocal(msg.queue, msg.jobId, msg.reason),
    );
    for (const model of models) await this.startModel(model);
  }

  private async startModel(model: string): Promise<void> {
    const { config, backends, sink } = this.opts;
    const pool = config.workers.pool;
    const queue = queueName(config, model);
    const concurrency = pool.models[model]?.concurrency ?? config.workers.concurrency;
    const registry = new PoolRegistry(this.redis, registryKeys(this.bullPrefix, queue), this.id);
    const sandboxes = new Map<IsolationMode, ModelBackend>();
    const backendFor = (isolation: IsolationMode): ModelBackend => {
      let backend = sandboxes.get(isolation);
      if (!backend) {
        if (isolation === 'inline') backend = backends.inline(model);
        else if (backends.sandboxed) backend = backends.sandboxed(model, isolation);
        else
          throw new Error(
            `model ${model}: isolation ${isolation} requested but no sandboxed backend is wired`,
          );
        sandboxes.set(isolation, backend);
        this.backendsMade.push(backend);
      }
      return backend;
    };
    const completions = this.connection();
    const occupancy = { running: 0 };
    const processor = createProcessor({
      model,
      config,
      registry,
      sink,
      completions,
      occupancy,
      backendFor,
      hooks: this.opts.hooks ?? {},
    });
    // Its own connection: BullMQ defines its scripts on a connection, and ioredis copies every
    // defined script into each pipeline/multi made on it, which made the registry's calls costly.
    const queueHandle = new Queue(queue, { connection: this.connection(), prefix: this.bullPrefix });
    const tierPriorities = [...new Set(Object.values(TIER_PRIORITY))].sort((a, b) => a - b);
    const scheduler = new PreemptionScheduler({
      queue,
      registry,
      saturated: () => occupancy.running >= concurrency,
      policy: pool.preemption,
      lookahead: pool.preemption.waitingLookahead,
      scanIntervalMs: pool.preemption.scanIntervalMs,
      busyPollMs: pool.preemption.busyPollMs,
      minScanGapMs: pool.preemption.minScanGapMs,
      heartbeatTtlMs: pool.preemption.heartbeatTtlMs,
      localSlots: concurrency,
      cancel: (jobId) => this.cancel(queue, jobId),
      topPriority: tierPriorities[0]!,
      agedClasses: tierPriorities.slice(1),
      promote: async (jobId, priority) => {
        // changePriority re-queues atomically only if the job still waits (it may have started);
        // `lifo` puts it ahead of the jobs already at that priority: it starts at the next free slot.
        const job = await Job.fromId(queueHandle, jobId);
        await job?.changePriority({ priority, lifo: true });
      },
    });
    // The slots are announced before the worker takes jobs, so no scan undercounts the capacity.
    await scheduler.start(pool.preemption.enabled);
    const worker = new Worker<InferenceJobData, JobOutcome>(queue, processor, {
      // BullMQ completes jobs on this very connection (it blocks on a duplicate of its own).
      connection: completions,
      prefix: this.bullPrefix,
      concurrency,
      lockDuration: pool.lockDurationMs,
    });
    worker.on('error', (err) => log.error({ queue, err: err.message }, 'worker error'));
    worker.on('failed', (job, err) =>
      log.info({ queue, requestId: job?.data.requestId, reason: err.message }, 'attempt failed'),
    );
    this.runners.set(queue, { model, queue, worker, queueHandle, scheduler, registry });
    await worker.waitUntilReady();
    log.info({ queue, model, concurrency }, 'serving model');
  }

  private connection(): Redis {
    const c = redisConnection(this.opts.config.redis.url);
    this.connections.push(c);
    return c;
  }

  /** Cancels a running job wherever it runs: here if it is ours, else through the channel. */
  private async cancel(queue: string, jobId: string): Promise<void> {
    if (this.cancelLocal(queue, jobId, PREEMPTED)) return;
    await this.channel?.publish({ queue, jobId, reason: PREEMPTED });
  }

  private cancelLocal(queue: string, jobId: string, reason: string): boolean {
    return this.runners.get(queue)?.worker.cancelJob(jobId, reason) ?? false;
  }

  /** Preemptions counted in Redis for a model's queue (across every pool process). */
  async preemptionCount(model: string): Promise<number> {
    const runner = this.runners.get(queueName(this.opts.config, model));
    return runner ? runner.registry.preemptionCount() : 0;
  }

  /** Stops taking jobs, lets running ones finish (`force` abandons them to the stalled-job checker). */
  async close(force = false): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(
      [...this.runners.values()].map(async (r) => {
        await r.scheduler.stop();
        await r.worker.close(force);
        await r.registry.flush().catch(() => {});
        await r.queueHandle.close();
      }),
    );
    await this.channel?.close();
    await Promise.allSettled(this.backendsMade.map((b) => b.close?.()));
    for (const c of this.connections) c.disconnect();
    this.subscriber.disconnect();
    this.redis.disconnect();
  }
}
