import ort from 'onnxruntime-node';
import { RedlineError } from '../errors.ts';
import type { Detector } from './detector.ts';
import { type FeatureBag, featureBag } from './features.ts';
import { type DetectorMeta, ONNX_INPUTS, ONNX_OUTPUT } from './model-meta.ts';

/** The two inputs of the exported graph for a padded batch (see train/onnx-export.ts). */
export function padBatch(bags: FeatureBag[]): { ids: Int32Array; weights: Float32Array; len: number } {
  // At least one column: an empty text still needs a (zero-weight) id for Gather.
  const len = Math.max(1, ...bags.map((b) => b.ids.length));
  const ids = new Int32Array(bags.length * len);
  const weights = new Float32Array(bags.length * len);
  bags.forEach((b, row) => {
    ids.set(b.ids, row * len);
    // Pad with the row's own first id (weight 0): the max pooling then cannot pick up a pad.
    if (b.ids.length > 0 && b.ids.length < len)
      ids.fill(b.ids[0]!, row * len + b.ids.length, (row + 1) * len);
    weights.set(b.weights, row * len);
  });
  return { ids, weights, len };
}

/** Runs a padded batch through a session built from the exported graph. */
export async function runSession(session: ort.InferenceSession, bags: FeatureBag[]): Promise<number[]> {
  if (bags.length === 0) return [];
  const { ids, weights, len } = padBatch(bags);
  const out = await session.run({
    [ONNX_INPUTS.ids]: new ort.Tensor('int32', ids, [bags.length, len]),
    [ONNX_INPUTS.weights]: new ort.Tensor('float32', weights, [bags.length, len]),
  });
  const score = out[ONNX_OUTPUT];
  if (!score) throw new RedlineError('MODEL_LOAD', `the detector model has no '${ONNX_OUTPUT}' output`);
  return Array.from(score.data as Float32Array);
}

/** Session options for serving: one intra-op thread (the stage scales by processes, not threads). */
export const SERVING_SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
};

/**
 * A Detector over an onnxruntime-node session. Texts are scored in chunks of `chunk`; within a
 * chunk they are padded to the longest, so chunks are formed from texts sorted by length to keep
 * the padding small.
 */
export function createOnnxDetector(
  session: ort.InferenceSession,
  meta: DetectorMeta,
  opts: { chunk?: number } = {},
): Detector {
  const chunk = opts.chunk ?? 64;
  return {
    version: meta.version,
    async score(texts) {
      const bags = texts.map((t) => featureBag(t, meta.features));
      const order = bags.map((_, i) => i).sort((a, b) => bags[a]!.ids.length - bags[b]!.ids.length);
      const scores = new Array<number>(texts.length);
      for (let i = 0; i < order.length; i += chunk) {
        const idx = order.slice(i, i + chunk);
        const s = await runSession(
          session,
          idx.map((j) => bags[j]!),
        );
        idx.forEach((j, k) => {
          scores[j] = s[k]!;
        });
      }
      return scores;
    },
    async close() {
      await session.release();
    },
  };
}
