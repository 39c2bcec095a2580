// Coalesces the registry's per-job writes (a job started, a job finished) into one Redis round trip
// per flush. Written per job, every slot paid a socket write of its own twice per job, which cost
// more CPU than BullMQ's own work on a job (profiled in bench/pool.bench.ts). The latest write per
// key wins, so a job that starts and ends within one flush costs nothing, and a job run again in
// this process is never overwritten by its own older removal. Flushes run one at a time, at most
// one per `minGapMs` once writes keep coming; the scans tolerate a registry that is that stale.

export type FlushWrites<V> = (upserts: ReadonlyMap<string, V>, removals: readonly string[]) => Promise<void>;

/** After a failed flush, the next try waits this long (Redis away: no busy loop, no log flood). */
const RETRY_GAP_MS = 250;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class CoalescedWrites<V> {
  private pending = new Map<string, V | null>();
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastFlushStart = Number.NEGATIVE_INFINITY;
  private retryAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly flushWrites: FlushWrites<V>,
    private readonly minGapMs: number,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records an upsert; it reaches Redis with the next flush. */
  set(key: string, value: V): void {
    this.pending.set(key, value);
    this.schedule();
  }

  /** Records a removal; resolves once the flush carrying it is done (rejects if it failed). */
  delete(key: string): Promise<void> {
    this.pending.set(key, null);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Writes whatever is pending now (on close), after any flush in flight. */
  async flush(): Promise<void> {
    await this.flushing; // never rejects: failures are handled where the flush ends
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size > 0) await this.runFlush();
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    const wait = Math.max(this.lastFlushStart + this.minGapMs, this.retryAt) - this.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.runFlush();
      },
      Math.max(0, wait),
    );
  }

  private runFlush(): Promise<void> {
    const batch = this.pending;
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    this.lastFlushStart = this.now();
    const upserts = new Map<string, V>();
    const removals: string[] = [];
    for (const [key, value] of batch) {
      if (value === null) removals.push(key);
      else upserts.set(key, value);
    }
    this.flushing = this.flushWrites(upserts, removals).then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (err: unknown) => {
        // Writes made since keep their place: only what nothing superseded is tried again.
        for (const [key, value] of batch) if (!this.pending.has(key)) this.pending.set(key, value);
        for (const w of waiters) w.reject(err);
        this.retryAt = this.now() + RETRY_GAP_MS;
        this.onError(err);
      },
    );
    return this.flushing.finally(() => {
      this.flushing = undefined;
      if (this.pending.size > 0) this.schedule();
    });
  }
}
