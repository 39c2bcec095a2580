import { kmeans } from 'ml-kmeans';
import { sampleIndices } from './random.ts';

// k-means (ml-kmeans, k-means++ initialisation, fixed seed) with k chosen by silhouette. Pure and
// deterministic: the same points and seed give the same clusters.
//
// Silhouette is O(n²), so k is selected on a seeded sample of at most `selectionSampleSize`
// points; the chosen k is then fitted on every point (linear in n per iteration).

export interface ClusteringOptions {
  maxK: number;
  seed: number;
  maxIterations: number;
  selectionSampleSize: number;
}

export interface Clustering {
  /** Non-empty clusters; ids are 0..k-1, largest cluster first. */
  k: number;
  assignments: number[];
  /** Centroids in the (standardised) space the points were given in. */
  centroids: number[][];
  /** Mean silhouette of the chosen k on the selection sample; null when k was not chosen (k ≤ 1). */
  silhouette: number | null;
  converged: boolean;
}

function countDistinct(points: readonly number[][], limit: number): number {
  const seen = new Set<string>();
  for (const p of points) {
    seen.add(p.join(','));
    if (seen.size > limit) break;
  }
  return seen.size;
}

function pairwiseDistances(points: readonly number[][]): Float64Array {
  const n = points.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = points[i]!;
    for (let j = i + 1; j < n; j++) {
      const b = points[j]!;
      let s = 0;
      for (let t = 0; t < a.length; t++) s += (a[t]! - b[t]!) ** 2;
      const dist = Math.sqrt(s);
      d[i * n + j] = dist;
      d[j * n + i] = dist;
    }
  }
  return d;
}

/** Mean silhouette coefficient of an assignment, from a precomputed distance matrix. */
export function silhouette(distances: Float64Array, assignments: readonly number[], k: number): number {
  const n = assignments.length;
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignments) sizes[c]!++;
  let total = 0;
  const sums = new Array<number>(k);
  for (let i = 0; i < n; i++) {
    const own = assignments[i]!;
    if (sizes[own]! <= 1) continue; // a singleton's silhouette is 0 by definition
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[assignments[j]!]! += distances[i * n + j]!;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (!Number.isFinite(b)) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return n > 0 ? total / n : 0;
}

function oneCluster(points: readonly number[][]): Clustering {
  const dims = points[0]?.length ?? 0;
  const centroid = new Array<number>(dims).fill(0);
  for (const p of points) for (let j = 0; j < dims; j++) centroid[j]! += p[j]! / points.length;
  return {
    k: points.length > 0 ? 1 : 0,
    assignments: points.map(() => 0),
    centroids: points.length > 0 ? [centroid] : [],
    silhouette: null,
    converged: true,
  };
}

/** Renumbers clusters largest first (ties: earliest member first) and drops empty ones. */
function relabel(
  assignments: readonly number[],
  centroids: readonly number[][],
): { assignments: number[]; centroids: number[][] } {
  const size = new Map<number, number>();
  const first = new Map<number, number>();
  assignments.forEach((c, i) => {
    size.set(c, (size.get(c) ?? 0) + 1);
    if (!first.has(c)) first.set(c, i);
  });
  const order = [...size.keys()].sort((a, b) => size.get(b)! - size.get(a)! || first.get(a)! - first.get(b)!);
  const map = new Map(order.map((c, i) => [c, i]));
  return { assignments: assignments.map((c) => map.get(c)!), centroids: order.map((c) => centroids[c]!) };
}

export function clusterPoints(points: readonly number[][], options: ClusteringOptions): Clustering {
  const n = points.length;
  if (n < 3 || countDistinct(points, 1) < 2) return oneCluster(points);
  const sampleIdx = sampleIndices(n, options.selectionSampleSize, options.seed);
  const sample = sampleIdx.map((i) => points[i]!);
  const kMax = Math.min(options.maxK, countDistinct(sample, options.maxK), sample.length - 1);
  if (kMax < 2) return oneCluster(points);
  const kmeansOptions = {
    initialization: 'kmeans++' as const,
    seed: options.seed,
    maxIterations: options.maxIterations,
  };
  const distances = pairwiseDistances(sample);
  let best: { k: number; score: number; result: ReturnType<typeof kmeans> } | undefined;
  for (let k = 2; k <= kMax; k++) {
    const result = kmeans(sample as number[][], k, kmeansOptions);
    const score = silhouette(distances, result.clusters, k);
    // Strictly better only: ties keep the smaller k.
    if (!best || score > best.score + 1e-9) best = { k, score, result };
  }
  const chosen = best!;
  const final = sample.length === n ? chosen.result : kmeans(points as number[][], chosen.k, kmeansOptions);
  const { assignments, centroids } = relabel(final.clusters, final.centroids);
  return {
    k: centroids.length,
    assignments,
    centroids,
    silhouette: chosen.score,
    converged: final.converged,
  };
}
