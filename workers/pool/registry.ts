import type { Redis } from 'ioredis';
import { createLogger } from '../../infra/log.ts';
import { CoalescedWrites } from './coalesced-writes.ts';
import type { RunningJob, WaitingJob, WaitingSince } from './preemption.ts';

// What every pool process of a queue shares in Redis so that any of them can decide a preemption:
// the running jobs (with priority, preemptions and timings), the live processes' slot counts, the
// jobs already being cancelled, and the preemption counter. BullMQ's own lists hold the waiting jobs.

const log = createLogger('pool.registry');

/** Least time between two flushes of the running-job writes (how stale a scan's view may be). */
const REGISTRY_FLUSH_GAP_MS = 2;

/** BullMQ scores a prioritised job as priority * 2^32 + insertion counter. */
const PRIORITY_SCALE = 0x100000000;

export function registryKeys(bullPrefix: string, queue: string) {
  const base = `${bullPrefix}:${queue}`;
  return {
    running: `${base}:redline:running`,
    /** The running jobs again, scored by priority: the cheap pre-check reads only its top. */
    runningByPriority: `${base}:redline:running-priority`,
    slots: `${base}:redline:slots`,
    cancelling: `${base}:redline:cancelling`,
    preemptions: `${base}:redline:preemptions`,
    prioritized: `${base}:prioritized`,
    job: (id: string) => `${base}:${id}`,
    wait: `${base}:wait`,
  };
}
export type RegistryKeys = ReturnType<typeof registryKeys>;

interface RunningEntry {
  p: number;
  n: number;
  e: number;
  s: number;
  o: string;
}

export interface QueueSnapshot {
  running: RunningJob[];
  waiting: WaitingJob[];
  capacity: number;
}

export class PoolRegistry {
  private readonly writes: CoalescedWrites<RunningEntry>;

  constructor(
    private readonly redis: Redis,
    readonly keys: RegistryKeys,
    private readonly owner: string,
  ) {
    this.writes = new CoalescedWrites<RunningEntry>(
      (upserts, removals) => this.writeRunning(upserts, removals),
      REGISTRY_FLUSH_GAP_MS,
      (err) =>
        log.warn({ queue: keys.running, err: (err as Error).message }, 'registry write failed; retrying'),
    );
  }

  /** Announces this process's slots; refreshed on every scan so a dead process drops out. */
  async heartbeat(slots: number, ttlMs: number, now: number): Promise<void> {
    await this.redis.hset(this.keys.slots, this.owner, JSON.stringify({ c: slots, until: now + ttlMs }));
  }

  async leave(): Promise<void> {
    await this.redis.hdel(this.keys.slots, this.owner);
  }

  /** Records a job as running on this process (written with the next flush). */
  started(job: Omit<RunningJob, 'cancelling'>): void {
    this.writes.set(job.id, {
      p: job.priority,
      n: job.preemptions,
      e: job.enqueuedAt,
      s: job.startedAt,
      o: this.owner,
    });
  }

  /** Records a job as no longer running; resolves once that reached Redis. */
  finished(jobId: string, preempted: boolean): Promise<void> {
    const removed = this.writes.delete(jobId);
    if (!preempted) return removed;
    return Promise.all([removed, this.redis.incr(this.keys.preemptions)]).then(() => {});
  }

  /** Writes what is still pending (before the connection closes). */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  private async writeRunning(upserts: ReadonlyMap<string, RunningEntry>, removals: readonly string[]) {
    const p = this.redis.pipeline();
    if (upserts.size > 0) {
      const fields: string[] = [];
      const scores: Array<string | number> = [];
      for (const [id, entry] of upserts) {
        fields.push(id, JSON.stringify(entry));
        scores.push(entry.p, id);
      }
      p.hset(this.keys.running, ...fields).zadd(this.keys.runningByPriority, ...scores);
    }
    if (removals.length > 0) {
      p.hdel(this.keys.running, ...removals)
        .zrem(this.keys.runningByPriority, ...removals)
        .srem(this.keys.cancelling, ...removals);
    }
    const res = (await p.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
  }

  /** Claims the cancel of a running job; false when another scan already claimed it. */
  async claimCancel(jobId: string): Promise<boolean> {
    return (await this.redis.sadd(this.keys.cancelling, jobId)) === 1;
  }

  async preemptionCount(): Promise<number> {
    return Number((await this.redis.get(this.keys.preemptions)) ?? 0);
  }

  /**
   * The cheap pre-check of a scan (one small round trip, no parsing): whether the most urgent
   * waiting job is more urgent than the least urgent running one. When not, no preemption can be
   * due, which is the steady state under uniform load: a full snapshot is only read otherwise.
   */
  async mightPreempt(): Promise<boolean> {
    const res = await this.redis
      .pipeline()
      .llen(this.keys.wait)
      .zrange(this.keys.prioritized, 0, 0, 'WITHSCORES')
      .zrevrange(this.keys.runningByPriority, 0, 0, 'WITHSCORES')
      .exec();
    if (!res) return true;
    for (const [err] of res) if (err) throw err;
    const waitLen = Number(res[0]?.[1] ?? 0);
    const head = (res[1]?.[1] ?? []) as string[];
    const top = (res[2]?.[1] ?? []) as string[];
    const headPriority =
      waitLen > 0 ? 0 : head.length === 2 ? Math.floor(Number(head[1]) / PRIORITY_SCALE) : null;
    if (headPriority === null || top.length < 2) return false;
    return Number(top[1]) > headPriority;
  }

  /** One round trip: running jobs of live processes, total live slots, and the head of the waiting jobs. */
  async snapshot(lookahead: number, now: number): Promise<QueueSnapshot> {
    const res = await this.redis
      .pipeline()
      .hgetall(this.keys.running)
      .hgetall(this.keys.slots)
      .smembers(this.keys.cancelling)
      // BullMQ starts un-prioritised jobs (the right end of `wait`) before prioritised ones.
      .lrange(this.keys.wait, -lookahead, -1)
      .zrange(this.keys.prioritized, 0, lookahead - 1, 'WITHSCORES')
      .exec();
    if (!res) throw new Error('pipeline aborted');
    for (const [err] of res) if (err) throw err;
    const running = (res[0]?.[1] ?? {}) as Record<string, string>;
    const slots = (res[1]?.[1] ?? {}) as Record<string, string>;
    const cancelling = new Set((res[2]?.[1] ?? []) as string[]);
    const waitIds = ((res[3]?.[1] ?? []) as string[]).reverse();
    const prioritized = (res[4]?.[1] ?? []) as string[];

    const live = new Set<string>();
    const deadOwners: string[] = [];
    let capacity = 0;
    for (const [owner, raw] of Object.entries(slots)) {
      const { c, until } = JSON.parse(raw) as { c: number; until: number };
      if (until < now) {
        deadOwners.push(owner);
        continue;
      }
      live.add(owner);
      capacity += c;
    }
    const orphans: string[] = [];
    const runningJobs: RunningJob[] = [];
    for (const [id, raw] of Object.entries(running)) {
      const r = JSON.parse(raw) as RunningEntry;
      if (!live.has(r.o)) {
        orphans.push(id); // a dead process's job is BullMQ's stalled-job business
        continue;
      }
      runningJobs.push({
        id,
        priority: r.p,
        preemptions: r.n,
        enqueuedAt: r.e,
        startedAt: r.s,
        cancelling: cancelling.has(id),
      });
    }
    if (deadOwners.length > 0 || orphans.length > 0) this.forget(deadOwners, orphans);
    const waiting: WaitingJob[] = waitIds.map((id) => ({ id, priority: 0 }));
    for (let i = 0; i + 1 < prioritized.length && waiting.length < lookahead; i += 2) {
      waiting.push({
        id: prioritized[i]!,
        priority: Math.floor(Number(prioritized[i + 1]) / PRIORITY_SCALE),
      });
    }
    return { running: runningJobs, waiting, capacity };
  }

  /** Drops what processes that stopped heart-beating left behind (off the scan's path). */
  private forget(owners: string[], jobs: string[]): void {
    const p = this.redis.pipeline();
    if (owners.length > 0) p.hdel(this.keys.slots, ...owners);
    if (jobs.length > 0) p.hdel(this.keys.running, ...jobs).zrem(this.keys.runningByPriority, ...jobs);
    void p.exec().catch(() => {});
  }

  /**
   * The oldest waiting jobs of each priority class (BullMQ keeps each class FIFO, so its head is its
   * oldest), with when each became eligible: what the ageing pass looks at. Two round trips.
   */
  async classHeads(priorities: readonly number[], perClass: number): Promise<WaitingSince[]> {
    const heads = this.redis.pipeline();
    for (const p of priorities) {
      heads.zrangebyscore(
        this.keys.prioritized,
        p * PRIORITY_SCALE,
        (p + 1) * PRIORITY_SCALE - 1,
        'LIMIT',
        0,
        perClass,
      );
    }
    const res = (await heads.exec()) ?? [];
    const candidates: Array<{ id: string; priority: number }> = [];
    res.forEach(([err, ids], i) => {
      if (err) throw err;
      for (const id of ids as string[]) candidates.push({ id, priority: priorities[i]! });
    });
    if (candidates.length === 0) return [];
    const times = this.redis.pipeline();
    for (const c of candidates) times.hmget(this.keys.job(c.id), 'timestamp', 'delay');
    const rows = (await times.exec()) ?? [];
    return candidates.map((c, i) => {
      const [timestamp, delay] = (rows[i]?.[1] as Array<string | null>) ?? [];
      return { ...c, eligibleAt: Number(timestamp ?? 0) + Number(delay ?? 0) };
    });
  }
}
