// mulberry32: a tiny seeded PRNG. Hand-written because Math.random cannot be seeded, and the
// simulated backend, synthetic span streams, clustering samples and detector training must all
// be reproducible from a seed. The one implementation the code base uses.
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
