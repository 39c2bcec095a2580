import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { openEncryptedModel, resolveModelPassphrase } from '../../infra/model-store/index.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { RedlineError } from '../errors.ts';
import type { DetectorMeta } from './model-meta.ts';
import { SERVING_SESSION_OPTIONS } from './onnx-detector.ts';

export function resolveModelPath(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}

export async function readDetectorMeta(modelPath: string): Promise<DetectorMeta> {
  const file = join(dirname(modelPath), 'detector.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DetectorMeta;
  } catch (err) {
    throw new RedlineError('MODEL_NOT_FOUND', `cannot read the detector metadata ${file}`, { cause: err });
  }
}

/**
 * Opens the detector's ONNX session and its metadata. An encrypted model (`.enc`) is decrypted into
 * locked memory by the model store (the passphrase from the environment); a plain `.onnx` (a
 * freshly trained one) is read directly.
 */
export async function openDetectorModel(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ session: ort.InferenceSession; meta: DetectorMeta }> {
  const modelPath = resolveModelPath(path);
  const meta = await readDetectorMeta(modelPath);
  if (modelPath.endsWith('.enc')) {
    const session = await openEncryptedModel(modelPath, resolveModelPassphrase(env), SERVING_SESSION_OPTIONS);
    return { session, meta };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(modelPath);
  } catch (err) {
    throw new RedlineError('MODEL_NOT_FOUND', `cannot read the detector model ${modelPath}`, { cause: err });
  }
  return { session: await ort.InferenceSession.create(bytes, SERVING_SESSION_OPTIONS), meta };
}
