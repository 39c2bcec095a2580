// Feature extraction shared by training and serving: the text becomes a bag of hashed ids (character
// n-grams and word uni/bigrams). The ONNX graph starts at the ids, so this file is the one place
// that decides what the model sees; both sides import it, which keeps them in step.

export interface FeatureConfig {
  /** Rows of the embedding table; ids are hashes modulo this. */
  buckets: number;
  /** Character n-gram lengths, inclusive. */
  minN: number;
  maxN: number;
  /** Also hash whole words and adjacent word pairs. */
  words: boolean;
  /** Texts longer than this keep their head and tail (jailbreaks put the payload at either end). */
  maxChars: number;
  /**
   * The last `tailChars` characters are hashed a second time into their own feature space and carry
   * `tailWeight` of the bag's weight: the payload of a role-play jailbreak or an appended injection
   * sits at the end, and a long preamble would otherwise drown it in the mean.
   */
  tailChars: number;
  tailWeight: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  buckets: 1 << 16,
  minN: 2,
  maxN: 4,
  words: true,
  maxChars: 4096,
  tailChars: 64,
  tailWeight: 0.5,
};

/**
 * NFKC, lower case, invisible format characters (zero-width joiners, bidi marks) removed,
 * whitespace folded to single spaces: the text that n-grams are taken from.
 */
export function normalizeForFeatures(text: string, maxChars: number): string {
  let t = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{Cf}+/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  if (t.length > maxChars) {
    const tail = Math.floor(maxChars / 4);
    t = `${t.slice(0, maxChars - tail - 1)} ${t.slice(t.length - tail)}`;
  }
  return t;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Distinct seeds keep a word and a character n-gram with the same letters in different buckets.
const WORD_SEED = 0x9e3779b9;
const BIGRAM_SEED = 0x85ebca6b;
const TAIL_SEED = 0xc2b2ae35;

function hashString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

const WORD = /[\p{L}\p{N}_]+/gu;

/** A text's bag: hashed ids (duplicates kept) and their weights, which sum to 1. */
export interface FeatureBag {
  ids: Int32Array;
  weights: Float32Array;
}

function charGrams(t: string, cfg: FeatureConfig, seed: number, out: number[]): void {
  const { buckets, minN, maxN } = cfg;
  const len = t.length;
  for (let i = 0; i < len; i++) {
    // Grow the n-gram hash one character at a time: every length from one start in a single pass.
    let h = (FNV_OFFSET ^ seed) >>> 0;
    for (let k = 0; k < maxN && i + k < len; k++) {
      h = Math.imul(h ^ t.charCodeAt(i + k), FNV_PRIME);
      if (k + 1 >= minN) out.push((h >>> 0) % buckets);
    }
  }
}

function wordGrams(t: string, cfg: FeatureConfig, out: number[]): void {
  let prev = '';
  for (const m of t.matchAll(WORD)) {
    const w = m[0];
    out.push(hashString(w, WORD_SEED) % cfg.buckets);
    if (prev) out.push(hashString(`${prev} ${w}`, BIGRAM_SEED) % cfg.buckets);
    prev = w;
  }
}

export function featureBag(text: string, cfg: FeatureConfig = DEFAULT_FEATURES): FeatureBag {
  const t = ` ${normalizeForFeatures(text, cfg.maxChars)} `;
  const body: number[] = [];
  charGrams(t, cfg, 0, body);
  if (cfg.words) wordGrams(t, cfg, body);
  const tail: number[] = [];
  // Only long texts get a tail: in a short one the tail is the whole text and adds nothing.
  if (cfg.tailChars > 0 && cfg.tailWeight > 0 && t.length > 2 * cfg.tailChars)
    charGrams(t.slice(-cfg.tailChars), cfg, TAIL_SEED, tail);
  const n = body.length + tail.length;
  const ids = new Int32Array(n);
  const weights = new Float32Array(n);
  const tailShare = tail.length ? cfg.tailWeight : 0;
  const wb = body.length ? (1 - tailShare) / body.length : 0;
  const wt = tail.length ? tailShare / tail.length : 0;
  for (let i = 0; i < body.length; i++) {
    ids[i] = body[i]!;
    weights[i] = wb;
  }
  for (let i = 0; i < tail.length; i++) {
    ids[body.length + i] = tail[i]!;
    weights[body.length + i] = wt;
  }
  return { ids, weights };
}
