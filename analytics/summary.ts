import type { SpanEvent } from '../schemas/types.ts';
import { errorTypeOf, signatureOf, stageOf } from './features.ts';
import { SPAN_ATTRIBUTES } from './span-attributes.ts';

// What an SRE reads about one cluster of error spans. Pure.

export interface ClusterSummary {
  id: number;
  size: number;
  /** size / error spans in the window. */
  share: number;
  stage: string;
  spanName: string;
  errorType: string;
  /** `stage|spanName|errorType` of the dominant values: what alerts are about. */
  signature: string;
  /** Members whose own signature is the dominant one. */
  signatureCount: number;
  /** A model or tenant hash shared by at least 80% of the members, else null. */
  model: string | null;
  tenantHash: string | null;
  p50Ms: number;
  p99Ms: number;
  exemplarTraceIds: string[];
  /** Mean raw feature vector (the comparison space of features.ts). */
  centroid: number[];
}

/** The most frequent value; ties go to the smallest string so results are deterministic. */
export function dominant(values: readonly string[]): { value: string; count: number } {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = { value: '', count: 0 };
  for (const [value, count] of counts) {
    if (count > best.count || (count === best.count && value < best.value)) best = { value, count };
  }
  return best;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx]!;
}

function sharedAttribute(spans: readonly SpanEvent[], key: string): string | null {
  const values = spans.map((s) => s.attributes[key]).filter((v): v is string => v !== undefined);
  const top = dominant(values);
  return top.count > 0 && top.count >= 0.8 * spans.length ? top.value : null;
}

export function summarizeCluster(
  id: number,
  spans: readonly SpanEvent[],
  rawFeatures: readonly number[][],
  windowErrors: number,
  exemplars: number,
): ClusterSummary {
  const stage = dominant(spans.map(stageOf)).value;
  const spanName = dominant(spans.map((s) => s.name)).value;
  const errorType = dominant(spans.map(errorTypeOf)).value;
  const signature = `${stage}|${spanName}|${errorType}`;
  const durations = spans.map((s) => s.durationMs).sort((a, b) => a - b);
  const dims = rawFeatures[0]?.length ?? 0;
  const centroid = new Array<number>(dims).fill(0);
  for (const row of rawFeatures) for (let j = 0; j < dims; j++) centroid[j]! += row[j]! / rawFeatures.length;
  const traceIds: string[] = [];
  for (const s of spans) {
    if (traceIds.length >= exemplars) break;
    if (!traceIds.includes(s.traceId)) traceIds.push(s.traceId);
  }
  return {
    id,
    size: spans.length,
    share: windowErrors > 0 ? spans.length / windowErrors : 0,
    stage,
    spanName,
    errorType,
    signature,
    signatureCount: spans.filter((s) => signatureOf(s) === signature).length,
    model: sharedAttribute(spans, SPAN_ATTRIBUTES.model),
    tenantHash: sharedAttribute(spans, SPAN_ATTRIBUTES.tenantHash),
    p50Ms: percentile(durations, 0.5),
    p99Ms: percentile(durations, 0.99),
    exemplarTraceIds: traceIds,
    centroid,
  };
}
