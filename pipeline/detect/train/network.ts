// The classifier's weights and its forward pass in plain TypeScript: an embedding bag (mean of the
// hashed ids' rows) → dense layer with ReLU → one logit → sigmoid. The ONNX export computes the
// same function; test/unit/detect checks that both agree.

export interface NetworkShape {
  buckets: number;
  dim: number;
  hidden: number;
}

export interface Network extends NetworkShape {
  /** [buckets × dim], row-major. */
  embedding: Float32Array;
  /** [dim × hidden]: Gemm's B in `x · W1 + b1`. */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden × 1]. */
  w2: Float32Array;
  b2: Float32Array;
}

/** Small deterministic PRNG (mulberry32) so that a seed reproduces a training run exactly. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function initNetwork(shape: NetworkShape, rng: () => number): Network {
  const { buckets, dim, hidden } = shape;
  const uniform = (n: number, scale: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rng() * 2 - 1) * scale;
    return a;
  };
  return {
    ...shape,
    // fastText's input-vector initialisation: U(-1/dim, 1/dim).
    embedding: uniform(buckets * dim, 1 / dim),
    w1: uniform(dim * hidden, Math.sqrt(6 / (dim + hidden))),
    b1: new Float32Array(hidden),
    w2: uniform(hidden, Math.sqrt(6 / (hidden + 1))),
    b2: new Float32Array(1),
  };
}

/** Activations of one forward pass, kept for back-propagation. */
export interface Activations {
  pooled: Float32Array;
  hidden: Float32Array;
  logit: number;
  prob: number;
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
  const a = act ?? { pooled: new Float32Array(dim), hidden: new Float32Array(hidden), logit: 0, prob: 0 };
  const pooled = a.pooled;
  pooled.fill(0);
  // Indices are in range by construction (ids < buckets, d < dim): the `!`s only satisfy
  // noUncheckedIndexedAccess in these hot loops.
  for (let i = 0; i < count; i++) {
    const row = ids[i]! * dim;
    const w = weights[i]!;
    for (let d = 0; d < dim; d++) pooled[d] = pooled[d]! + w * embedding[row + d]!;
  }
  let z = b2[0]!;
  for (let h = 0; h < hidden; h++) {
    let s = b1[h]!;
    for (let d = 0; d < dim; d++) s += pooled[d]! * w1[d * hidden + h]!;
    const r = s > 0 ? s : 0;
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
