import type { Rejection } from '../../schemas/types.ts';

// Counters the dashboard keeps from the topics it reads. Pure: the clock is passed in.

export interface StageRate {
  stage: string;
  /** Spans per second over the last `windowSeconds` complete seconds (arrival time). */
  perSecond: number;
  total: number;
}

/**
 * Spans per stage per second, by arrival time at the dashboard: what the pipeline is doing now,
 * even when the spans' own timestamps are old (a replay). Per-second buckets over a short sliding
 * window; older buckets are dropped as time moves on.
 */
export class ThroughputMeter {
  private readonly buckets = new Map<number, Map<string, number>>();
  private readonly totals = new Map<string, number>();

  constructor(private readonly windowSeconds = 10) {}

  record(stage: string, nowMs: number, count = 1): void {
    const second = Math.floor(nowMs / 1_000);
    let bucket = this.buckets.get(second);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(second, bucket);
      this.prune(second);
    }
    bucket.set(stage, (bucket.get(stage) ?? 0) + count);
    this.totals.set(stage, (this.totals.get(stage) ?? 0) + count);
  }

  rates(nowMs: number): StageRate[] {
    const now = Math.floor(nowMs / 1_000);
    this.prune(now);
    const sums = new Map<string, number>();
    // The current second is still filling; the rate uses complete seconds only.
    for (const [second, bucket] of this.buckets) {
      if (second >= now || second < now - this.windowSeconds) continue;
      for (const [stage, n] of bucket) sums.set(stage, (sums.get(stage) ?? 0) + n);
    }
    return [...this.totals.keys()].sort().map((stage) => ({
      stage,
      perSecond: (sums.get(stage) ?? 0) / this.windowSeconds,
      total: this.totals.get(stage) ?? 0,
    }));
  }

  private prune(nowSecond: number): void {
    for (const second of this.buckets.keys()) {
      if (second < nowSecond - this.windowSeconds) this.buckets.delete(second);
    }
  }
}

export interface RejectionCount {
  code: string;
  /** Stages that rejected with this code. */
  stages: string[];
  count: number;
  lastAt: number;
}

/** Rejections by reason code since the dashboard started. Only the code and stage are kept. */
export class RejectionCounter {
  private readonly byCode = new Map<string, { stages: Set<string>; count: number; lastAt: number }>();
  total = 0;

  record(rejection: Pick<Rejection, 'code' | 'stage' | 'rejectedAt'>): void {
    let entry = this.byCode.get(rejection.code);
    if (!entry) {
      entry = { stages: new Set(), count: 0, lastAt: 0 };
      this.byCode.set(rejection.code, entry);
    }
    entry.stages.add(rejection.stage);
    entry.count++;
    entry.lastAt = Math.max(entry.lastAt, rejection.rejectedAt);
    this.total++;
  }

  /** Most frequent first. */
  counts(): RejectionCount[] {
    return [...this.byCode]
      .map(([code, e]) => ({ code, stages: [...e.stages].sort(), count: e.count, lastAt: e.lastAt }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  }
}
