// mulberry32: a tiny seeded PRNG, so sampling and synthetic streams are reproducible from a seed
// (Math.random cannot be seeded; ml-kmeans seeds its own generator internally).
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
