import type { Alert } from '../../schemas/types.ts';
import type { WindowReport } from '../analyze-window.ts';
import { errorTypeOf, stageOf } from '../features.ts';

// A closed window's report → what the scatter plot draws: one point per error span (duration,
// stage, kind, cluster) and one legend entry per cluster. Pure. Spans carry no prompt, and only
// these fields reach the page.

export interface ScatterPoint {
  stage: string;
  kind: string;
  durationMs: number;
  cluster: number;
  errorType: string;
  traceId: string;
}

export interface ScatterCluster {
  id: number;
  size: number;
  share: number;
  stage: string;
  spanName: string;
  errorType: string;
  model: string | null;
  p50Ms: number;
  p99Ms: number;
  exemplarTraceIds: string[];
  /** An alert of this window names this cluster's signature. */
  alerted: boolean;
}

export interface ScatterView {
  windowStart: number;
  windowEnd: number;
  totalSpans: number;
  errorCount: number;
  k: number;
  silhouette: number | null;
  clusters: ScatterCluster[];
  points: ScatterPoint[];
  /** Points were thinned to stay drawable (every cluster keeps some). */
  sampled: boolean;
}

/** Per-cluster floor when thinning, so a small incident cluster never vanishes from the plot. */
const MIN_POINTS_PER_CLUSTER = 25;

export function toScatterView(
  report: WindowReport,
  alerts: readonly Alert[] = [],
  maxPoints = 2_000,
): ScatterView {
  const n = report.errorSpans.length;
  const byCluster = new Map<number, number[]>();
  report.assignments.forEach((c, i) => {
    const list = byCluster.get(c);
    if (list) list.push(i);
    else byCluster.set(c, [i]);
  });
  const picked: number[] = [];
  for (const members of byCluster.values()) {
    const quota =
      n <= maxPoints
        ? members.length
        : Math.min(
            members.length,
            Math.max(MIN_POINTS_PER_CLUSTER, Math.round((members.length * maxPoints) / n)),
          );
    // Even stride through the members (they are in end-time order): deterministic and spread out.
    const step = members.length / quota;
    for (let j = 0; j < quota; j++) picked.push(members[Math.floor(j * step)]!);
  }
  picked.sort((a, b) => a - b);
  const alerted = new Set(alerts.map((a) => `${a.stage}|${a.spanName}|${a.errorType}`));
  return {
    windowStart: report.windowStart,
    windowEnd: report.windowEnd,
    totalSpans: report.totalSpans,
    errorCount: report.errorCount,
    k: report.k,
    silhouette: report.silhouette,
    clusters: report.clusters.map((c) => ({
      id: c.id,
      size: c.size,
      share: c.share,
      stage: c.stage,
      spanName: c.spanName,
      errorType: c.errorType,
      model: c.model,
      p50Ms: c.p50Ms,
      p99Ms: c.p99Ms,
      exemplarTraceIds: c.exemplarTraceIds,
      alerted: alerted.has(c.signature),
    })),
    points: picked.map((i) => {
      const s = report.errorSpans[i]!;
      return {
        stage: stageOf(s),
        kind: s.kind,
        durationMs: s.durationMs,
        cluster: report.assignments[i]!,
        errorType: errorTypeOf(s),
        traceId: s.traceId,
      };
    }),
    sampled: picked.length < n,
  };
}
