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
  tailWeight: 0.2,
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

/** A text's bag: distinct hashed ids and their weights (occurrence counts folded in), which sum to 1. */
export interface FeatureBag {
  ids: Int32Array;
  weights: Float32Array;
}

// Scratch state reused across calls (a bag is built synchronously, so one set suffices). Ids are
// merged as they are produced, through tables indexed directly by id: the weighted sum is linear,
// so one entry per distinct id with its occurrence counts pools to the same vector as every
// occurrence would, and the padded batch the session gathers is shorter.
let stamp = new Int32Array(0);
let slot = new Int32Array(0);
let generation = 0;
let distinct = new Int32Array(1024);
let bodyCount = new Float32Array(1024);
let tailCount = new Float32Array(1024);
let used = 0;
let bodyTotal = 0;
let tailTotal = 0;

function reset(buckets: number): void {
  if (stamp.length !== buckets) {
    stamp = new Int32Array(buckets);
    slot = new Int32Array(buckets);
    generation = 0;
  }
  generation = (generation + 1) | 0;
  if (generation === 0) {
    stamp.fill(0);
    generation = 1;
  }
  used = 0;
  bodyTotal = 0;
  tailTotal = 0;
}

function add(id: number, tail: boolean): void {
  let k: number;
  if (stamp[id] !== generation) {
    stamp[id] = generation;
    if (used === distinct.length) {
      const grow = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      distinct = grow(distinct, (n) => new Int32Array(n));
      bodyCount = grow(bodyCount, (n) => new Float32Array(n));
      tailCount = grow(tailCount, (n) => new Float32Array(n));
    }
    k = used++;
    slot[id] = k;
    distinct[k] = id;
    bodyCount[k] = 0;
    tailCount[k] = 0;
  } else k = slot[id]!;
  if (tail) {
    tailCount[k] = tailCount[k]! + 1;
    tailTotal++;
  } else {
    bodyCount[k] = bodyCount[k]! + 1;
    bodyTotal++;
  }
}

function charGrams(t: string, cfg: FeatureConfig, seed: number, tail: boolean): void {
  const { buckets, minN, maxN } = cfg;
  const len = t.length;
  for (let i = 0; i < len; i++) {
    // Grow the n-gram hash one character at a time: every length from one start in a single pass.
    let h = (FNV_OFFSET ^ seed) >>> 0;
    for (let k = 0; k < maxN && i + k < len; k++) {
      h = Math.imul(h ^ t.charCodeAt(i + k), FNV_PRIME);
      if (k + 1 >= minN) add((h >>> 0) % buckets, tail);
    }
  }
}

function wordGrams(t: string, cfg: FeatureConfig): void {
  let prev = -1;
  for (const m of t.matchAll(WORD)) {
    const h = hashString(m[0], WORD_SEED);
    add(h % cfg.buckets, false);
    // A bigram's hash combines its words' hashes (no string concatenation on the hot path).
    if (prev >= 0) add(((Math.imul(prev ^ BIGRAM_SEED, FNV_PRIME) ^ h) >>> 0) % cfg.buckets, false);
    prev = h;
  }
}

export function featureBag(text: string, cfg: FeatureConfig = DEFAULT_FEATURES): FeatureBag {
  const t = ` ${normalizeForFeatures(text, cfg.maxChars)} `;
  reset(cfg.buckets);
  charGrams(t, cfg, 0, false);
  if (cfg.words) wordGrams(t, cfg);
  // Only long texts get a tail: in a short one the tail is the whole text and adds nothing.
  if (cfg.tailChars > 0 && cfg.tailWeight > 0 && t.length > 2 * cfg.tailChars)
    charGrams(t.slice(-cfg.tailChars), cfg, TAIL_SEED, true);
  const tailShare = tailTotal ? cfg.tailWeight : 0;
  const wb = bodyTotal ? (1 - tailShare) / bodyTotal : 0;
  const wt = tailTotal ? tailShare / tailTotal : 0;
  const ids = distinct.slice(0, used);
  const weights = new Float32Array(used);
  for (let k = 0; k < used; k++) weights[k] = bodyCount[k]! * wb + tailCount[k]! * wt;
  return { ids, weights };
}
