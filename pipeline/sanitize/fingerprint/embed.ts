// The fingerprint embedding: signed feature hashing of character trigrams into EMBEDDING_DIM
// buckets, square-root damped and L2-normalised. Chosen over the detector's model because it costs
// one pass over the text (the stage must run at >10,000 prompts/s) and because near-copies of
// known attacks (DAN variants, templated role-play jailbreaks) share most of their trigrams in any
// language, CJK included. The signed hash keeps the dot product an unbiased estimate of the
// trigram cosine despite bucket collisions.

export const EMBEDDING_NAME = 'char3-signed-hash-sqrt';
export const EMBEDDING_DIM = 256;
/** Only the first characters count: keeps the cost bounded on 8 MB prompts. */
export const EMBEDDING_MAX_CHARS = 65_536;

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000;
}

/** Lower-cases, folds whitespace runs to one space, and embeds into `out` (zeroed first). */
export function embed(text: string, out: Float32Array = new Float32Array(EMBEDDING_DIM)): Float32Array {
  out.fill(0);
  const lower =
    text.length > EMBEDDING_MAX_CHARS ? text.slice(0, EMBEDDING_MAX_CHARS).toLowerCase() : text.toLowerCase();
  const mask = EMBEDDING_DIM - 1;
  let a = 0x20;
  let b = 0x20;
  let count = 0;
  for (let i = 0; i < lower.length; i++) {
    let c = lower.charCodeAt(i);
    if (isSpace(c)) {
      if (b === 0x20) continue;
      c = 0x20;
    }
    count++;
    if (count >= 3) {
      let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      h ^= h >>> 12;
      out[h & mask]! += h < 0 ? -1 : 1;
    }
    a = b;
    b = c;
  }
  let norm = 0;
  for (let i = 0; i < EMBEDDING_DIM; i++) {
    const x = out[i]!;
    const d = x < 0 ? -Math.sqrt(-x) : Math.sqrt(x);
    out[i] = d;
    norm += d * d;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < EMBEDDING_DIM; i++) out[i]! *= inv;
  }
  return out;
}

/**
 * Subtracts the background mean (the average prompt's embedding, stored with the corpus) and
 * renormalises in place. Without it any two texts of one language share their common trigrams
 * and look alike; centred, unrelated prompts sit near cosine 0 and near copies stay near 1.
 */
export function center(vec: Float32Array, mean: Float32Array | null): Float32Array {
  if (mean === null) return vec;
  let norm = 0;
  for (let i = 0; i < vec.length; i++) {
    const d = vec[i]! - mean[i]!;
    vec[i] = d;
    norm += d * d;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < vec.length; i++) vec[i]! *= inv;
  }
  return vec;
}

export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[bOffset + i]!;
  return s;
}
