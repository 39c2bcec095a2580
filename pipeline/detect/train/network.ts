// The classifier's weights and its forward pass in plain TypeScript: an embedding bag pooled two
// ways (the weighted mean of the hashed ids' rows, and their element-wise max) → dense layer with
// ReLU → one logit → sigmoid. The mean reads the text as a whole; the max lets a few strongly
// marked n-grams (an appended harmful question, an override phrase) count however long the
// innocent preamble is. The ONNX export computes the same function; test/unit/detect checks that.

import { mulberry32, type Rng } from '../../../infra/random.ts';

export interface NetworkShape {
  buckets: number;
  dim: number;
  hidden: number;
}

export interface Network extends NetworkShape {
  /** [buckets × dim], row-major. */
  embedding: Float32Array;
  /** [2·dim × hidden]: Gemm's B in `[mean, max] · W1 + b1`. */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden × 1]. */
  w2: Float32Array;
  b2: Float32Array;
}

/** The seeded PRNG (infra/random.ts) under the name training uses: a seed reproduces a run exactly. */
export const createRng: (seed: number) => Rng = mulberry32;

export function initNetwork(shape: NetworkShape, rng: () => number): Network {
  const { buckets, dim, hidden } = shape;
  const uniform = (n: number, scale: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rng() * 2 - 1) * scale;
    return a;
  };
  return {
    ...shape,
    // Zero, unlike fastText's U(-1/dim, 1/dim): rows of n-grams never seen in training stay at zero,
    // so unfamiliar text pools towards the zero vector, which the empty-bag examples teach to read
    // as benign, instead of to random values that the max pooling would pick up. (The random W1
    // breaks the symmetry, so the rows still learn.)
    embedding: new Float32Array(buckets * dim),
    w1: uniform(2 * dim * hidden, Math.sqrt(6 / (2 * dim + hidden))),
    // Slightly positive so that every ReLU is live at the zero start and passes gradient.
    b1: new Float32Array(hidden).fill(0.1),
    w2: uniform(hidden, Math.sqrt(6 / (hidden + 1))),
    b2: new Float32Array(1),
  };
}

/** Activations of one forward pass, kept for back-propagation. */
export interface Activations {
  /** [mean (dim), max (dim)]. */
  pooled: Float32Array;
  /** For each dimension, the position (in the ids) whose row gave the max. */
  argmax: Int32Array;
  hidden: Float32Array;
  logit: number;
  prob: number;
}

export function newActivations(dim: number, hidden: number): Activations {
  return {
    pooled: new Float32Array(2 * dim),
    argmax: new Int32Array(dim),
    hidden: new Float32Array(hidden),
    logit: 0,
    prob: 0,
  };
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Forward pass over a weighted bag (`count` ids, duplicates kept; the arrays may be longer than
 * `count`). The pooled vector is the weighted sum of the ids' rows; weights sum to 1.
 */
export function forward(
  net: Network,
  ids: Int32Array,
  weights: Float32Array,
  count: number = ids.length,
  act?: Activations,
): Activations {
  const { dim, hidden, embedding, w1, b1, w2, b2 } = net;
  const a = act ?? newActivations(dim, hidden);
  const { pooled, argmax } = a;
  pooled.fill(0);
  if (count > 0) pooled.fill(Number.NEGATIVE_INFINITY, dim);
  argmax.fill(-1);
  // Indices are in range by construction (ids < buckets, d < dim): the `!`s only satisfy
  // noUncheckedIndexedAccess in these hot loops.
  for (let i = 0; i < count; i++) {
    const row = ids[i]! * dim;
    const w = weights[i]!;
    for (let d = 0; d < dim; d++) {
      const v = embedding[row + d]!;
      pooled[d] = pooled[d]! + w * v;
      if (v > pooled[dim + d]!) {
        pooled[dim + d] = v;
        argmax[d] = i;
      }
    }
  }
  const inputs = 2 * dim;
  let z = b2[0]!;
  for (let h = 0; h < hidden; h++) {
    let s = b1[h]!;
    for (let d = 0; d < inputs; d++) s += pooled[d]! * w1[d * hidden + h]!;
    const r = Math.max(s, 0);
    a.hidden[h] = r;
    z += r * w2[h]!;
  }
  a.logit = z;
  a.prob = sigmoid(z);
  return a;
}

export function score(net: Network, bag: { ids: Int32Array; weights: Float32Array }): number {
  return forward(net, bag.ids, bag.weights).prob;
}
