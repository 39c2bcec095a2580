import { EventEmitter } from 'node:events';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import type { SpanEvent } from '../../schemas/types.ts';
import type { WindowReport } from '../analyze-window.ts';
import { AnalyticsEngine } from '../engine.ts';

// Where the scatter plot's windows come from. Mounted in the analytics process, that is the
// AnalyticsConsumer itself (its latestWindow() and 'window' event). Standalone (`redline
// dashboard`), LocalWindows is the adapter: it feeds the spans the dashboard reads into its own
// AnalyticsEngine (the same pure windows + features + k-means), publishing nothing.

export interface WindowSource {
  latestWindow(): { report: WindowReport } | undefined;
  on(event: 'window', listener: (view: { report: WindowReport }) => void): unknown;
  off(event: 'window', listener: (view: { report: WindowReport }) => void): unknown;
}

export class LocalWindows
  extends EventEmitter<{ window: [{ report: WindowReport }] }>
  implements WindowSource
{
  private readonly engine: AnalyticsEngine;
  private latest: { report: WindowReport } | undefined;
  private lastSpanAt: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly config: RedlineConfig,
    private readonly now: () => number = Date.now,
  ) {
    super();
    const a = config.analytics;
    this.engine = new AnalyticsEngine({ ...a, jaegerUrl: a.jaegerUrl, idlePartitionMs: a.idleCloseMs });
    this.lastSpanAt = now();
    // Windows close on the spans' watermark as they arrive; this closes them when input goes quiet
    // (the analytics consumer does the same).
    this.timer = setInterval(() => this.closeIfIdle(), Math.min(1_000, Math.max(50, a.idleCloseMs / 4)));
    this.timer.unref();
  }

  assign(partitions: number[]): void {
    this.engine.windows.assign(partitions, this.now());
  }

  add(span: SpanEvent, partition: number): void {
    this.lastSpanAt = this.now();
    this.engine.add(span, partition, this.lastSpanAt);
  }

  /** Call after a batch of add(): closes the windows the watermark has passed. */
  flush(): void {
    this.publish(this.engine.closeReady(this.now()).map((o) => o.report));
  }

  private closeIfIdle(): void {
    if (this.engine.windows.openWindows === 0) return;
    const idle = this.now() - this.lastSpanAt >= this.config.analytics.idleCloseMs;
    this.publish((idle ? this.engine.closeAll() : this.engine.closeReady(this.now())).map((o) => o.report));
  }

  private publish(reports: WindowReport[]): void {
    for (const report of reports) {
      this.latest = { report };
      this.emit('window', this.latest);
    }
  }

  latestWindow(): { report: WindowReport } | undefined {
    return this.latest;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
