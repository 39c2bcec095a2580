import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import type { Tier } from '../../schemas/types.ts';
import { queueName, TIER_PRIORITY } from '../../workers/job.ts';
import { PoolRegistry, registryKeys } from '../../workers/pool/registry.ts';

// The worker pool as the dashboard shows it, read from Redis: BullMQ's job counts, the waiting
// jobs per priority class (BullMQ's `prioritized` sorted set), and what the pool processes share in
// their registry (live slots, running jobs, the preemption counter). Read-only: job data (which
// holds the prompt) is never read.

/** BullMQ scores a prioritised job as priority * 2^32 + insertion counter (see registry.ts). */
const PRIORITY_SCALE = 0x100000000;
const TIERS = Object.keys(TIER_PRIORITY) as Tier[];
const DISCOVER_EVERY_MS = 15_000;

export interface QueueStats {
  model: string;
  queue: string;
  /** Slots announced by live pool processes. */
  slots: number;
  running: number;
  /** Waiting jobs per tier; `unprioritised` are plain waits, `other` priorities outside the tiers (aged jobs). */
  waiting: Record<Tier | 'unprioritised' | 'other', number>;
  delayed: number;
  completed: number;
  failed: number;
  preemptions: number;
}

export interface PoolStatsOptions {
  config: RedlineConfig;
  redis: Redis;
  /** Models always shown; queues found in Redis under the topic prefix are added. */
  models?: readonly string[];
  bullPrefix?: string;
}

/** Models named in the config: the pool's, else the backends' (as `redline workers` serves them). */
export function configuredModels(config: RedlineConfig): string[] {
  const pooled = Object.keys(config.workers.pool.models);
  return pooled.length > 0 ? pooled : Object.keys(config.workers.backends);
}

export class PoolStatsReader {
  private readonly queues = new Map<string, { model: string; queue: Queue; registry: PoolRegistry }>();
  private readonly bullPrefix: string;
  private discoveredAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: PoolStatsOptions) {
    this.bullPrefix = options.bullPrefix ?? 'bull';
    for (const model of options.models ?? configuredModels(options.config))
      this.track(model, queueName(options.config, model));
  }

  private track(model: string, name: string): void {
    if (this.queues.has(name)) return;
    const queue = new Queue(name, { connection: this.options.redis, prefix: this.bullPrefix });
    // A Redis error surfaces in read(); the queue's own 'error' event must not crash the process.
    queue.on('error', () => {});
    const registry = new PoolRegistry(this.options.redis, registryKeys(this.bullPrefix, name), 'dashboard');
    this.queues.set(name, { model, queue, registry });
  }

  /** Model queues that exist in Redis (every BullMQ queue that ever had a job has an `id` counter). */
  private async discover(): Promise<void> {
    const modelPrefix = queueName(this.options.config, '');
    const head = `${this.bullPrefix}:${modelPrefix}`;
    let cursor = '0';
    do {
      const [next, keys] = await this.options.redis.scan(cursor, 'MATCH', `${head}*:id`, 'COUNT', 1_000);
      cursor = next;
      for (const key of keys) {
        const name = key.slice(this.bullPrefix.length + 1, -':id'.length);
        this.track(name.slice(modelPrefix.length), name);
      }
    } while (cursor !== '0');
  }

  async read(now = Date.now()): Promise<QueueStats[]> {
    // SCAN walks the whole keyspace: new queues are looked for now and then, not on every read.
    if (now - this.discoveredAt >= DISCOVER_EVERY_MS) {
      await this.discover();
      this.discoveredAt = now;
    }
    const out: QueueStats[] = [];
    for (const [name, { model, queue, registry }] of this.queues) {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'completed', 'failed');
      const byTier = this.options.redis.pipeline();
      for (const tier of TIERS) {
        const p = TIER_PRIORITY[tier];
        byTier.zcount(registry.keys.prioritized, p * PRIORITY_SCALE, (p + 1) * PRIORITY_SCALE - 1);
      }
      const tierCounts = ((await byTier.exec()) ?? []).map(([err, n]) => (err ? 0 : Number(n)));
      const snapshot = await registry.snapshot(1, now);
      const waiting = { unprioritised: counts.waiting ?? 0, other: 0 } as QueueStats['waiting'];
      let tiered = 0;
      TIERS.forEach((tier, i) => {
        waiting[tier] = tierCounts[i] ?? 0;
        tiered += waiting[tier];
      });
      waiting.other = Math.max(0, (counts.prioritized ?? 0) - tiered);
      out.push({
        model,
        queue: name,
        slots: snapshot.capacity,
        running: snapshot.running.length,
        waiting,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
        preemptions: await registry.preemptionCount(),
      });
    }
    return out.sort((a, b) => (a.model < b.model ? -1 : 1));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.queue.close()));
  }
}
