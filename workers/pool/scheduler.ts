import { createLogger } from '../../infra/log.ts';
import {
  agedForPromotion,
  type PreemptionPolicy,
  planPreemptions,
  waitingBeyondFreeSlots,
} from './preemption.ts';
import type { PoolRegistry } from './registry.ts';

// Detects the need to preempt for one model queue. Every pool process runs one per queue. A
// preemption can only be due while every slot is busy (a free slot takes the waiting job itself),
// so a process polls with the cheap pre-check every `busyPollMs` while its own slots are all busy,
// and otherwise scans every `scanIntervalMs` (also for ageing). Polling replaced BullMQ's queue
// events, whose stream of several events per job cost more than the whole scan budget under load.
// Scans are coalesced: one in flight at a time, one more if asked meanwhile. Two processes may plan
// the same preemption; claiming the victim in Redis lets only one cancel it.

const log = createLogger('pool.scheduler');

/** A scan that saw jobs waiting beside a seemingly free slot looks again this soon (a start is under way). */
const RESCAN_SOON_MS = 20;
/** ...but only a few times in a row, so a paused queue does not turn into a fast poll. */
const MAX_QUICK_RESCANS = 3;

export interface SchedulerOptions {
  queue: string;
  registry: PoolRegistry;
  /** Whether every slot of this process for the queue is busy. */
  saturated(): boolean;
  policy: PreemptionPolicy;
  lookahead: number;
  scanIntervalMs: number;
  /** Scan interval while saturated. */
  busyPollMs: number;
  /** Least time between the end of one scan and the start of the next. */
  minScanGapMs: number;
  heartbeatTtlMs: number;
  localSlots: number;
  /** Cancels a running job wherever it runs (locally, or through the cancel channel). */
  cancel(jobId: string, forJobId: string): Promise<void>;
  /** Ageing: the priority aged jobs are promoted to, and the less urgent classes watched for them. */
  topPriority: number;
  agedClasses: readonly number[];
  promote(jobId: string, priority: number): Promise<void>;
  now?: () => number;
}

export class PreemptionScheduler {
  private scanning = false;
  private dirty = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private quickRescans = 0;
  private lastScanEnd = Number.NEGATIVE_INFINITY;
  private gapTimer: NodeJS.Timeout | undefined;
  private ageing = false;
  private readonly now: () => number;

  constructor(private readonly opts: SchedulerOptions) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * Announces this process's slots and running jobs to the other pool processes; with `scan`, also
   * looks for preemptions (a process that does not scan is still preempted by those that do).
   */
  async start(scan: boolean): Promise<void> {
    await this.heartbeat();
    this.heartbeatTimer = setInterval(
      () => void this.heartbeat(),
      Math.max(100, this.opts.heartbeatTtlMs / 3),
    );
    if (!scan) return;
    this.timer = setInterval(() => {
      this.requestScan();
      void this.agePass();
    }, this.opts.scanIntervalMs);
    this.pollTimer = setInterval(() => {
      if (this.opts.saturated()) this.requestScan();
    }, this.opts.busyPollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pollTimer);
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.soon);
    clearTimeout(this.gapTimer);
    await this.opts.registry.leave().catch(() => {});
  }

  requestScan(): void {
    if (this.stopped) return;
    if (this.scanning || this.gapTimer) {
      this.dirty = true;
      return;
    }
    const wait = this.lastScanEnd + this.opts.minScanGapMs - this.now();
    if (wait > 0) {
      // Under a stream of arrivals, one scan per gap covers all of them (bounded Redis and CPU cost).
      this.dirty = true;
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        // Straight to the scan: the gap has passed (asking again would trust the clock twice).
        if (this.dirty && !this.scanning && !this.stopped) void this.scanLoop();
      }, wait);
      return;
    }
    void this.scanLoop();
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.opts.registry.heartbeat(this.opts.localSlots, this.opts.heartbeatTtlMs, this.now());
    } catch (err) {
      log.warn({ queue: this.opts.queue, err: (err as Error).message }, 'heartbeat failed');
    }
  }

  private async scanLoop(): Promise<void> {
    this.scanning = true;
    try {
      this.dirty = false;
      await this.scan();
    } catch (err) {
      if (!this.stopped)
        log.warn({ queue: this.opts.queue, err: (err as Error).message }, 'preemption scan failed');
    } finally {
      this.scanning = false;
      this.lastScanEnd = this.now();
      if (this.dirty) this.requestScan();
    }
  }

  private async agePass(): Promise<void> {
    if (this.ageing || this.stopped) return;
    this.ageing = true;
    try {
      const heads = await this.opts.registry.classHeads(this.opts.agedClasses, this.opts.lookahead);
      const aged = agedForPromotion(heads, this.opts.topPriority, this.opts.policy.maxWaitMs, this.now());
      for (const id of aged) {
        log.info({ queue: this.opts.queue, jobId: id }, 'promoting a job that waited too long');
        await this.opts.promote(id, this.opts.topPriority);
      }
    } catch (err) {
      if (!this.stopped)
        log.warn({ queue: this.opts.queue, err: (err as Error).message }, 'ageing pass failed');
    } finally {
      this.ageing = false;
    }
  }

  private async scan(): Promise<void> {
    if (!(await this.opts.registry.mightPreempt())) {
      this.quickRescans = 0;
      return;
    }
    const now = this.now();
    const snapshot = await this.opts.registry.snapshot(this.opts.lookahead, now);
    const plan = planPreemptions({ ...snapshot, policy: this.opts.policy, now });
    for (const p of plan) {
      if (!(await this.opts.registry.claimCancel(p.victim))) continue;
      log.debug({ queue: this.opts.queue, victim: p.victim, for: p.for }, 'preempting');
      await this.opts.cancel(p.victim, p.for);
    }
    if (plan.length > 0 || !waitingBeyondFreeSlots(snapshot)) {
      this.quickRescans = 0;
    } else if (!this.soon && this.quickRescans < MAX_QUICK_RESCANS) {
      this.quickRescans++;
      this.soon = setTimeout(() => {
        this.soon = undefined;
        this.requestScan();
      }, RESCAN_SOON_MS);
    }
  }
}
