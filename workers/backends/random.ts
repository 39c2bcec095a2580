// A small seeded PRNG (mulberry32) and the draws the simulated backend needs. Hand-written: the
// simulation must be reproducible from a seed, which Math.random is not.

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box-Muller). */
export function normal(rng: Rng): number {
  const u = Math.max(rng(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

const Z_99 = 2.3263478740408408;

/** A lognormal draw with the given median and 99th percentile (sigma = ln(p99/median) / z99). */
export function lognormal(rng: Rng, median: number, p99: number): number {
  if (median <= 0) return 0;
  const sigma = Math.log(Math.max(p99, median) / median) / Z_99;
  return median * Math.exp(sigma * normal(rng));
}
