import { describe, expect, it } from 'vitest';
import { clusterPoints, silhouette } from '../../../analytics/clustering.ts';
import { seededRandom } from '../../../analytics/random.ts';

const options = { maxK: 8, seed: 42, maxIterations: 100, selectionSampleSize: 1_000 };

function blobs(centres: number[][], perBlob: number, spread: number, seed = 1): number[][] {
  const rand = seededRandom(seed);
  return centres.flatMap((c) =>
    Array.from({ length: perBlob }, () => c.map((x) => x + (rand() - 0.5) * spread)),
  );
}

function partitionOf(assignments: number[]): string[] {
  // The grouping, independent of label names: for each point, the set of points sharing its label.
  const groups = new Map<number, number[]>();
  for (const [i, c] of assignments.entries()) groups.set(c, [...(groups.get(c) ?? []), i]);
  return [...groups.values()].map((g) => g.join(',')).sort();
}

describe('clusterPoints', () => {
  it('finds k by silhouette: three well-separated blobs give three clusters', () => {
    const points = blobs(
      [
        [0, 0],
        [10, 0],
        [0, 10],
      ],
      40,
      1,
    );
    const c = clusterPoints(points, options);
    expect(c.k).toBe(3);
    expect(c.silhouette).toBeGreaterThan(0.8);
    expect(partitionOf(c.assignments)).toEqual(
      [0, 1, 2].map((b) => Array.from({ length: 40 }, (_, i) => b * 40 + i).join(',')).sort(),
    );
    expect(c.converged).toBe(true);
  });

  it('labels clusters largest first', () => {
    const points = [...blobs([[0, 0]], 10, 1), ...blobs([[20, 20]], 30, 1, 2)];
    const c = clusterPoints(points, options);
    expect(c.k).toBe(2);
    expect(c.assignments.filter((a) => a === 0)).toHaveLength(30);
  });

  it('is deterministic: the same points and seed give the same clusters', () => {
    const points = blobs(
      [
        [0, 0, 0],
        [4, 4, 0],
        [0, 4, 4],
        [4, 0, 4],
      ],
      200,
      3,
    );
    const a = clusterPoints(points, { ...options, selectionSampleSize: 150 });
    const b = clusterPoints(
      points.map((p) => [...p]),
      { ...options, selectionSampleSize: 150 },
    );
    expect(b).toEqual(a);
  });

  it('never asks for more clusters than maxK or than distinct points', () => {
    const points = blobs(
      Array.from({ length: 6 }, (_, i) => [i * 10, 0]),
      10,
      0.5,
    );
    expect(clusterPoints(points, { ...options, maxK: 3 }).k).toBeLessThanOrEqual(3);
    const twoDistinct = [...Array(20).fill([1, 1]), ...Array(5).fill([9, 9])] as number[][];
    const c = clusterPoints(twoDistinct, options);
    expect(c.k).toBe(2);
    expect(c.silhouette).toBeCloseTo(1);
  });

  it('handles tiny windows: none, one, two and identical points', () => {
    expect(clusterPoints([], options)).toMatchObject({ k: 0, assignments: [], centroids: [] });
    expect(clusterPoints([[1, 2]], options)).toMatchObject({ k: 1, assignments: [0], centroids: [[1, 2]] });
    expect(clusterPoints([[1], [5]], options)).toMatchObject({ k: 1, assignments: [0, 0] });
    expect(clusterPoints(Array(50).fill([3, 3]), options)).toMatchObject({ k: 1, silhouette: null });
  });

  it('fits the chosen k on every point when k was selected on a sample', () => {
    const points = blobs(
      [
        [0, 0],
        [10, 10],
      ],
      2_000,
      1,
    );
    const c = clusterPoints(points, { ...options, selectionSampleSize: 200 });
    expect(c.k).toBe(2);
    expect(c.assignments).toHaveLength(4_000);
    expect(c.assignments.filter((a) => a === 0)).toHaveLength(2_000);
  });
});

describe('silhouette', () => {
  it('is 1 for tight, distant clusters and near 0 or below for a bad split', () => {
    // Points on a line: 0, 0, 10, 10 (distance matrix row-major)
    const xs = [0, 0, 10, 10];
    const d = new Float64Array(16);
    for (const [i, a] of xs.entries()) for (const [j, b] of xs.entries()) d[i * 4 + j] = Math.abs(a - b);
    expect(silhouette(d, [0, 0, 1, 1], 2)).toBeCloseTo(1);
    expect(silhouette(d, [0, 1, 0, 1], 2)).toBeLessThan(0);
  });
});
