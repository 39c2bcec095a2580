import {
  createRng,
  forward,
  initNetwork,
  type Network,
  type NetworkShape,
  newActivations,
} from './network.ts';

// Hand-written training loop: no JavaScript training library fits a sparse embedding bag (the
// tfjs / onnxruntime-training builds are large, GPU-oriented or not on npm for Node 20), and the
// model is small enough that per-example SGD in typed arrays trains in about a minute.
// Embedding rows are updated sparsely with Adagrad (only the rows an example touched); the few
// hundred dense weights use Adam.

export interface TrainExample {
  ids: Int32Array;
  weights: Float32Array;
  label: 0 | 1;
  /** Loss weight (class and source balance). */
  weight: number;
}

export interface TrainOptions extends NetworkShape {
  seed: number;
  epochs: number;
  embeddingLr: number;
  denseLr: number;
  /** Probability of dropping each feature id in a training pass (robustness to unseen n-grams). */
  featureDropout: number;
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

export const DEFAULT_TRAIN: Omit<TrainOptions, 'buckets'> = {
  seed: 20261204,
  epochs: 8,
  dim: 16,
  hidden: 32,
  embeddingLr: 0.2,
  denseLr: 0.003,
  featureDropout: 0.4,
};

class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  constructor(
    private readonly params: Float32Array,
    private readonly b1 = 0.9,
    private readonly b2 = 0.999,
  ) {
    this.m = new Float32Array(params.length);
    this.v = new Float32Array(params.length);
  }
  step(grad: Float32Array, lr: number): void {
    this.t++;
    const c1 = 1 - this.b1 ** this.t;
    const c2 = 1 - this.b2 ** this.t;
    const { m, v, params, b1, b2 } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]!;
      const mi = b1 * m[i]! + (1 - b1) * g;
      const vi = b2 * v[i]! + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = params[i]! - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + 1e-8);
    }
  }
}

export function train(examples: TrainExample[], opts: TrainOptions): Network {
  const rng = createRng(opts.seed);
  const net = initNetwork(opts, rng);
  const { dim, hidden } = net;
  const adagrad = new Float32Array(net.embedding.length);
  const gW1 = new Float32Array(net.w1.length);
  const gB1 = new Float32Array(hidden);
  const gW2 = new Float32Array(hidden);
  const gB2 = new Float32Array(1);
  const opt = { w1: new Adam(net.w1), b1: new Adam(net.b1), w2: new Adam(net.w2), b2: new Adam(net.b2) };
  const dHidden = new Float32Array(hidden);
  const dPooled = new Float32Array(2 * dim);
  const act = newActivations(dim, hidden);
  const maxLen = examples.reduce((m, e) => Math.max(m, e.ids.length), 1);
  const kept = new Int32Array(maxLen);
  const keptW = new Float32Array(maxLen);
  const order = examples.map((_, i) => i);
  const totalSteps = opts.epochs * examples.length;
  let step = 0;

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffle(order, rng);
    let lossSum = 0;
    let weightSum = 0;
    // Indices below are in range by construction; the `!`s only satisfy noUncheckedIndexedAccess.
    for (const idx of order) {
      const ex = examples[idx]!;
      const decay = 1 - step / totalSteps;
      step++;
      let count = 0;
      let wsum = 0;
      for (let i = 0; i < ex.ids.length; i++)
        if (rng() >= opts.featureDropout) {
          kept[count] = ex.ids[i]!;
          keptW[count++] = ex.weights[i]!;
          wsum += ex.weights[i]!;
        }
      if ((count === 0 || wsum <= 0) && ex.ids.length > 0) continue;
      for (let i = 0; i < count; i++) keptW[i] = keptW[i]! / wsum;
      forward(net, kept, keptW, count, act);
      const p = act.prob;
      lossSum += -ex.weight * Math.log(Math.max(1e-7, ex.label ? p : 1 - p));
      weightSum += ex.weight;
      const dz = ex.weight * (p - ex.label);
      gB2[0] = dz;
      for (let h = 0; h < hidden; h++) {
        const hv = act.hidden[h]!;
        gW2[h] = dz * hv;
        const dh = hv > 0 ? dz * net.w2[h]! : 0;
        dHidden[h] = dh;
        gB1[h] = dh;
      }
      for (let d = 0; d < 2 * dim; d++) {
        let s = 0;
        const pd = act.pooled[d]!;
        for (let h = 0; h < hidden; h++) {
          gW1[d * hidden + h] = pd * dHidden[h]!;
          s += net.w1[d * hidden + h]! * dHidden[h]!;
        }
        dPooled[d] = s;
      }
      const lr = opts.embeddingLr * decay;
      const { embedding } = net;
      for (let i = 0; i < count; i++) {
        const row = kept[i]! * dim;
        const w = keptW[i]!;
        for (let d = 0; d < dim; d++) {
          const g = w * dPooled[d]!;
          const acc = adagrad[row + d]! + g * g;
          adagrad[row + d] = acc;
          embedding[row + d] = embedding[row + d]! - (lr * g) / (Math.sqrt(acc) + 1e-8);
        }
      }
      // The max half: each dimension's gradient goes to the one row that gave its max.
      for (let d = 0; d < dim; d++) {
        const at = act.argmax[d]!;
        if (at < 0) continue;
        const idx = kept[at]! * dim + d;
        const g = dPooled[dim + d]!;
        const acc = adagrad[idx]! + g * g;
        adagrad[idx] = acc;
        embedding[idx] = embedding[idx]! - (lr * g) / (Math.sqrt(acc) + 1e-8);
      }
      const dlr = opts.denseLr * decay;
      opt.w1.step(gW1, dlr);
      opt.b1.step(gB1, dlr);
      opt.w2.step(gW2, dlr);
      opt.b2.step(gB2, dlr);
    }
    opts.onEpoch?.(epoch, lossSum / Math.max(weightSum, 1e-9));
  }
  return net;
}

function shuffle(a: number[], rng: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
