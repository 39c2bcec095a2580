import type { SpanEvent } from '../schemas/types.ts';
import { type ClusteringOptions, clusterPoints } from './clustering.ts';
import { signatureOf, standardise } from './features.ts';
import { type ClusterSummary, summarizeCluster } from './summary.ts';

// One closed window's error spans → standardised features → k-means → cluster summaries. Pure.

export interface ClosedWindow {
  start: number;
  end: number;
  /** Every span that fell in the window (errors or not). */
  totalSpans: number;
  errorSpans: SpanEvent[];
  /** rawFeatures(errorSpans[i]), computed as spans arrive. */
  features: number[][];
}

export interface WindowReport {
  windowStart: number;
  windowEnd: number;
  totalSpans: number;
  errorCount: number;
  k: number;
  silhouette: number | null;
  clusters: ClusterSummary[];
  /** The window's error spans and, index for index, their cluster ids. */
  errorSpans: SpanEvent[];
  assignments: number[];
  /** Error spans per `stage|span|errorType` signature. */
  signatureCounts: Record<string, number>;
}

export function analyzeWindow(
  window: ClosedWindow,
  options: ClusteringOptions & { exemplars: number },
): WindowReport {
  const { points } = standardise(window.features);
  const clustering = clusterPoints(points, options);
  const members: number[][] = Array.from({ length: clustering.k }, () => []);
  for (const [i, c] of clustering.assignments.entries()) members[c]!.push(i);
  const errorCount = window.errorSpans.length;
  const clusters = members.map((idx, id) =>
    summarizeCluster(
      id,
      idx.map((i) => window.errorSpans[i]!),
      idx.map((i) => window.features[i]!),
      errorCount,
      options.exemplars,
    ),
  );
  const signatureCounts: Record<string, number> = {};
  for (const s of window.errorSpans) {
    const sig = signatureOf(s);
    signatureCounts[sig] = (signatureCounts[sig] ?? 0) + 1;
  }
  return {
    windowStart: window.start,
    windowEnd: window.end,
    totalSpans: window.totalSpans,
    errorCount,
    k: clustering.k,
    silhouette: clustering.silhouette,
    clusters,
    errorSpans: window.errorSpans,
    assignments: clustering.assignments,
    signatureCounts,
  };
}
