import type { Alert, Rejection } from '../../schemas/types.ts';
import type { WindowReport } from '../analyze-window.ts';
import type { FeedCounts } from './feeds.ts';
import { type RejectionCount, RejectionCounter, type StageRate, ThroughputMeter } from './live-stats.ts';
import type { QueueStats } from './pool-stats.ts';
import { type ScatterView, toScatterView } from './scatter.ts';

// Everything the page shows, in one place, as plain JSON-able values. The server feeds it and
// pushes its parts to the browsers; no prompt, token or output ever enters it.

export interface StatsPayload {
  now: number;
  throughput: StageRate[];
  rejections: { total: number; byCode: RejectionCount[] };
  pool: QueueStats[] | null;
  poolError: string | null;
  feeds: FeedCounts;
}

export interface SnapshotPayload extends StatsPayload {
  startedAt: number;
  /** Where the scatter plot's windows come from. */
  windowSource: 'analytics' | 'local';
  windowMs: number;
  alerts: Alert[];
  window: ScatterView | null;
}

export class DashboardState {
  private readonly throughput = new ThroughputMeter();
  private readonly rejections = new RejectionCounter();
  /** Newest first. */
  private readonly alerts: Alert[] = [];
  private lastReport: WindowReport | undefined;
  private view: ScatterView | null = null;
  pool: QueueStats[] | null = null;
  poolError: string | null = null;

  constructor(
    readonly startedAt: number,
    readonly windowSource: 'analytics' | 'local',
    readonly windowMs: number,
    private readonly maxAlerts = 50,
  ) {}

  span(stage: string, now: number): void {
    this.throughput.record(stage, now);
  }

  rejection(r: Rejection): void {
    this.rejections.record(r);
  }

  /** Returns false for an alert already shown (the same id read twice). */
  alert(a: Alert): boolean {
    if (this.alerts.some((x) => x.alertId === a.alertId)) return false;
    this.alerts.unshift(a);
    if (this.alerts.length > this.maxAlerts) this.alerts.pop();
    // The plot marks the clusters an alert is about; an alert may arrive after its window.
    if (this.lastReport && a.windowStart === this.lastReport.windowStart) this.window(this.lastReport);
    return true;
  }

  window(report: WindowReport): ScatterView {
    this.lastReport = report;
    this.view = toScatterView(
      report,
      this.alerts.filter((a) => a.windowStart === report.windowStart),
    );
    return this.view;
  }

  get scatter(): ScatterView | null {
    return this.view;
  }

  stats(now: number, feeds: FeedCounts): StatsPayload {
    return {
      now,
      throughput: this.throughput.rates(now),
      rejections: { total: this.rejections.total, byCode: this.rejections.counts() },
      pool: this.pool,
      poolError: this.poolError,
      feeds: { ...feeds },
    };
  }

  snapshot(now: number, feeds: FeedCounts): SnapshotPayload {
    return {
      ...this.stats(now, feeds),
      startedAt: this.startedAt,
      windowSource: this.windowSource,
      windowMs: this.windowMs,
      alerts: [...this.alerts],
      window: this.view,
    };
  }
}
