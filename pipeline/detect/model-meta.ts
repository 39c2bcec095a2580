import type { FeatureConfig } from './features.ts';

/** Names of the exported graph's inputs and output (train/onnx-export.ts builds it). */
export const ONNX_INPUTS = { ids: 'ids', weights: 'weights' } as const;
export const ONNX_OUTPUT = 'score';

/** `detector.json` beside the model: what serving needs to turn text into the model's inputs. */
export interface DetectorMeta {
  /** Names this model in detections (`modelVersion`): a hash of the ONNX bytes. */
  version: string;
  features: FeatureConfig;
  shape: { buckets: number; dim: number; hidden: number };
  /** The threshold the model card's figures were taken at. */
  threshold: number;
  /** The training seed and data file, for reproducing the run. */
  training: { seed: number; data: string; rows: number; augmented: number; subsample: number | null };
}
