/**
 * What the detect stage asks of a classifier: one score in [0, 1] per text, in order (1 = attack).
 * Implementations: the ONNX session (onnx-detector.ts) and its micro-batching wrapper
 * (batched-detector.ts); tests and the bench use both.
 */
export interface Detector {
  /** Names the model in detections (`modelVersion`). */
  readonly version: string;
  score(texts: string[]): Promise<number[]>;
  close(): Promise<void>;
}
