// The draws the simulated backend needs, on the shared seeded PRNG (the simulation must be
// reproducible from a seed, which Math.random is not).
import { mulberry32, type Rng } from '../../infra/random.ts';

export { mulberry32, type Rng };

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
