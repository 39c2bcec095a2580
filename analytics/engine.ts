import type { Alert, SpanEvent } from '../schemas/types.ts';
import { type AlertCandidate, Baseline, evaluateAlerts, toAlert, toBaselineWindow } from './alert-rules.ts';
import { analyzeWindow, type WindowReport } from './analyze-window.ts';
import type { AnalyticsConfig } from './config.ts';
import { TumblingWindows } from './windows.ts';

// Spans in, window reports and alert candidates out: windows + features + clustering + rules +
// baseline, with no Kafka, Redis or clock. The consumer (consumer.ts) feeds it and acts on what
// it returns; tests and benchmarks drive it directly.

export interface WindowOutcome {
  report: WindowReport;
  candidates: AlertCandidate[];
  /** One alert per candidate, before de-duplication (the alert sink de-duplicates in Redis). */
  alerts: Alert[];
  /** Windows the baseline held when this one was judged. */
  baselineWindows: number;
}

export type EngineConfig = Pick<
  AnalyticsConfig,
  | 'windowMs'
  | 'allowedLatenessMs'
  | 'maxK'
  | 'seed'
  | 'maxIterations'
  | 'selectionSampleSize'
  | 'minClusterSize'
  | 'growthFactor'
  | 'newClusterDistance'
  | 'baselineWindows'
  | 'warmupWindows'
  | 'exemplars'
> & { jaegerUrl?: string | undefined; idlePartitionMs?: number };

export class AnalyticsEngine {
  readonly windows: TumblingWindows;
  private readonly baseline: Baseline;

  constructor(private readonly config: EngineConfig) {
    this.windows = new TumblingWindows(config);
    this.baseline = new Baseline(config.baselineWindows);
  }

  /** `nowMs` (wall clock) only matters for partition idleness (`idlePartitionMs`). */
  add(span: SpanEvent, partition = 0, nowMs = 0): void {
    this.windows.add(span, partition, nowMs);
  }

  closeReady(nowMs = 0): WindowOutcome[] {
    return this.windows.closeReady(nowMs).map((w) => this.judge(w));
  }

  closeAll(): WindowOutcome[] {
    return this.windows.closeAll().map((w) => this.judge(w));
  }

  private judge(window: Parameters<typeof analyzeWindow>[0]): WindowOutcome {
    const report = analyzeWindow(window, this.config);
    const baselineWindows = this.baseline.current.length;
    const candidates = evaluateAlerts(report, this.baseline.current, this.config);
    this.baseline.push(toBaselineWindow(report, new Set(candidates.map((c) => c.cluster.id))));
    const alerts = candidates.map((c) => toAlert(c, report, this.config.jaegerUrl));
    return { report, candidates, alerts, baselineWindows };
  }
}
