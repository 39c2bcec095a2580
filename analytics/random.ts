import { mulberry32 } from '../infra/random.ts';

// Seeded sampling, so sampling and synthetic streams are reproducible from a seed (ml-kmeans
// seeds its own generator internally).
export const seededRandom = mulberry32;

/** `count` distinct indices of [0, n), in ascending order, chosen with the seeded generator. */
export function sampleIndices(n: number, count: number, seed: number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  const rand = seededRandom(seed);
  const all = Array.from({ length: n }, (_, i) => i);
  // Partial Fisher–Yates: the first `count` slots become the sample.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}
