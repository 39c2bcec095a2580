import { createBatchedDetector } from './batched-detector.ts';
import type { DetectConfig } from './config.ts';
import type { Detector } from './detector.ts';
import { openDetectorModel } from './load-model.ts';
import { createOnnxDetector } from './onnx-detector.ts';

/** The serving detector from configuration: the (encrypted) model's session behind micro-batching. */
export async function openConfiguredDetector(
  config: Pick<DetectConfig, 'modelPath' | 'microBatch'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Detector> {
  const { session, meta } = await openDetectorModel(config.modelPath, env);
  return createBatchedDetector(
    createOnnxDetector(session, meta, { chunk: config.microBatch.maxBatch }),
    config.microBatch,
  );
}
