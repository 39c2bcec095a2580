import { mulberry32 } from '../../../infra/random.ts';
import { EMBEDDING_DIM } from './embed.ts';

// Random-hyperplane signatures (Charikar's SimHash) for a cheap candidate filter: two unit vectors
// at angle θ disagree on each bit with probability θ/π, so the Hamming distance of their
// signatures bounds their cosine with high probability. Deterministic planes (seeded PRNG) so the
// corpus file's signatures and the runtime's agree.

export const SIGNATURE_BITS = 128;
const WORDS = SIGNATURE_BITS / 32;

/** Non-zero entries of each (sparse) random hyperplane. */
const PLANE_NONZEROS = 16;

// Very sparse random projections (Li, Hastie, Church 2006): each plane has PLANE_NONZEROS entries
// of ±1 instead of EMBEDDING_DIM Gaussian ones, 16x cheaper, and close to the θ/π collision law for
// the spread-out vectors that feature hashing produces (the bench measures its recall against
// brute force).
function sparsePlanes(seed: number): { dims: Uint16Array; signs: Float32Array } {
  const rand = mulberry32(seed);
  const dims = new Uint16Array(SIGNATURE_BITS * PLANE_NONZEROS);
  const signs = new Float32Array(SIGNATURE_BITS * PLANE_NONZEROS);
  for (let i = 0; i < dims.length; i++) {
    dims[i] = Math.floor(rand() * EMBEDDING_DIM);
    signs[i] = rand() < 0.5 ? -1 : 1;
  }
  return { dims, signs };
}

const PLANES = sparsePlanes(0x5eed);

/** Writes the signature of `vec` (a unit vector at `offset`) into `out` at `outOffset`. */
export function signature(vec: Float32Array, out: Uint32Array, outOffset = 0, offset = 0): void {
  const { dims, signs } = PLANES;
  for (let w = 0; w < WORDS; w++) {
    let word = 0;
    for (let bit = 0; bit < 32; bit++) {
      const base = (w * 32 + bit) * PLANE_NONZEROS;
      let s = 0;
      for (let k = 0; k < PLANE_NONZEROS; k++) s += signs[base + k]! * vec[offset + dims[base + k]!]!;
      if (s > 0) word |= 1 << bit;
    }
    out[outOffset + w] = word >>> 0;
  }
}

/**
 * The largest Hamming distance still sent to the exact check for a cosine threshold: the expected
 * distance at the threshold angle plus 4.5 standard deviations (a pair exactly at the threshold
 * is missed with probability below 1e-5; closer pairs less often still).
 */
export function hammingCutoff(threshold: number): number {
  const p = Math.acos(Math.min(1, Math.max(-1, threshold))) / Math.PI;
  return Math.ceil(SIGNATURE_BITS * p + 4.5 * Math.sqrt(SIGNATURE_BITS * p * (1 - p)));
}

export const SIGNATURE_WORDS = WORDS;
