import { createHash } from 'node:crypto';
import type { Alert } from '../schemas/types.ts';
import type { WindowReport } from './analyze-window.ts';
import { euclidean, signatureOf } from './features.ts';
import type { ClusterSummary } from './summary.ts';

// When a cluster is worth waking someone for. Pure.
//
// A cluster alerts only when its dominant signature (stage|span|errorType) is itself anomalous:
// at least `minClusterSize` spans and `growthFactor` times its baseline count. k-means may group
// the usual background errors differently from one window to the next; that alone never alerts.
// The reason is "new" when the centroid is farther than `newClusterDistance` from every baseline
// centroid, else "growing".

export interface AlertRules {
  minClusterSize: number;
  growthFactor: number;
  newClusterDistance: number;
  warmupWindows: number;
}

/** What a past window leaves in the baseline (only its clusters that did not alert). */
export interface BaselineWindow {
  durationMs: number;
  centroids: number[][];
  signatureCounts: Record<string, number>;
}

export interface AlertCandidate {
  cluster: ClusterSummary;
  reason: 'new' | 'growing';
  severity: 'critical' | 'warning';
  /** The signature's expected count in a window this long, from the baseline. */
  expected: number;
  /** Distance to the nearest baseline centroid (Infinity when the baseline has none). */
  nearestDistance: number;
}

export function expectedCount(
  baseline: readonly BaselineWindow[],
  signature: string,
  durationMs: number,
): number {
  let count = 0;
  let duration = 0;
  for (const w of baseline) {
    count += w.signatureCounts[signature] ?? 0;
    duration += w.durationMs;
  }
  return duration > 0 ? (count / duration) * durationMs : 0;
}

export function evaluateAlerts(
  report: WindowReport,
  baseline: readonly BaselineWindow[],
  rules: AlertRules,
): AlertCandidate[] {
  if (baseline.length < rules.warmupWindows) return [];
  const durationMs = report.windowEnd - report.windowStart;
  const baselineCentroids = baseline.flatMap((w) => w.centroids);
  const out: AlertCandidate[] = [];
  for (const cluster of report.clusters) {
    if (cluster.signatureCount < rules.minClusterSize) continue;
    const expected = expectedCount(baseline, cluster.signature, durationMs);
    if (cluster.signatureCount < rules.growthFactor * Math.max(expected, 1)) continue;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (const c of baselineCentroids)
      nearestDistance = Math.min(nearestDistance, euclidean(cluster.centroid, c));
    const reason = nearestDistance > rules.newClusterDistance ? 'new' : 'growing';
    const severity =
      (reason === 'new' && cluster.share >= 0.5) ||
      cluster.signatureCount >= 10 * Math.max(expected, rules.minClusterSize)
        ? 'critical'
        : 'warning';
    out.push({ cluster, reason, severity, expected, nearestDistance });
  }
  return out;
}

/** The window as the baseline remembers it, without the clusters that raised (or would raise) alerts. */
export function toBaselineWindow(report: WindowReport, alerted: ReadonlySet<number>): BaselineWindow {
  const signatureCounts: Record<string, number> = {};
  report.errorSpans.forEach((span, i) => {
    if (alerted.has(report.assignments[i]!)) return;
    const sig = signatureOf(span);
    signatureCounts[sig] = (signatureCounts[sig] ?? 0) + 1;
  });
  return {
    durationMs: report.windowEnd - report.windowStart,
    centroids: report.clusters.filter((c) => !alerted.has(c.id)).map((c) => c.centroid),
    signatureCounts,
  };
}

/** A sliding baseline of the last `capacity` windows. */
export class Baseline {
  private readonly windows: BaselineWindow[] = [];
  constructor(private readonly capacity: number) {}
  get current(): readonly BaselineWindow[] {
    return this.windows;
  }
  push(window: BaselineWindow): void {
    this.windows.push(window);
    if (this.windows.length > this.capacity) this.windows.shift();
  }
}

function formatMs(ms: number): string {
  return ms >= 1_000 ? `${(ms / 1_000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

export function toAlert(candidate: AlertCandidate, report: WindowReport, jaegerUrl?: string): Alert {
  const c = candidate.cluster;
  const growth =
    candidate.reason === 'growing'
      ? `, ${(c.signatureCount / Math.max(candidate.expected, 1)).toFixed(1)}× baseline`
      : '';
  const scope = [c.model ? `model ${c.model}` : '', c.tenantHash ? `tenant ${c.tenantHash}` : '']
    .filter(Boolean)
    .join(', ');
  const summary =
    `${candidate.reason} error cluster in ${c.stage}: ${c.errorType} on ${c.spanName}` +
    `${scope ? ` (${scope})` : ''}: ${c.size} spans, ${(c.share * 100).toFixed(0)}% of errors${growth}, ` +
    `p50 ${formatMs(c.p50Ms)}, p99 ${formatMs(c.p99Ms)}`;
  const first = c.exemplarTraceIds[0];
  return {
    alertId: createHash('sha256').update(`${c.signature}@${report.windowStart}`).digest('hex').slice(0, 24),
    severity: candidate.severity,
    summary,
    reason: candidate.reason,
    stage: c.stage,
    spanName: c.spanName,
    errorType: c.errorType,
    clusterSize: c.size,
    share: c.share,
    p50Ms: c.p50Ms,
    p99Ms: c.p99Ms,
    exemplarTraceIds: c.exemplarTraceIds,
    windowStart: report.windowStart,
    windowEnd: report.windowEnd,
    link: jaegerUrl && first ? `${jaegerUrl.replace(/\/+$/, '')}/trace/${first}` : null,
  };
}
