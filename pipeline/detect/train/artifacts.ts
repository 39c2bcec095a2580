import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encryptModel, type KdfParams } from '../../../infra/model-store/index.ts';
import { writeModelCard } from './card.ts';
import type { TrainDetectorResult } from './index.ts';

export interface WrittenArtifacts {
  model: string;
  meta: string;
  card: string;
}

/**
 * Writes a trained detector: `detector.json`, `MODEL_CARD.md` and the model, encrypted
 * (`detector.onnx.enc`, the shipped form) under `passphrase`, or plain `detector.onnx` when
 * `passphrase` is null. Whichever form is written, a stale file of the other form is removed so
 * that the folder never holds two different models.
 */
export async function writeDetectorArtifacts(
  result: TrainDetectorResult,
  outDir: string,
  passphrase: string | null,
  kdf?: KdfParams,
): Promise<WrittenArtifacts> {
  await mkdir(outDir, { recursive: true });
  const plainPath = join(outDir, 'detector.onnx');
  const encPath = join(outDir, 'detector.onnx.enc');
  const model = passphrase === null ? plainPath : encPath;
  const bytes =
    passphrase === null ? result.onnx : await encryptModel(result.onnx, passphrase, kdf ? { kdf } : {});
  await writeFile(model, bytes);
  await rm(passphrase === null ? encPath : plainPath, { force: true });
  const meta = join(outDir, 'detector.json');
  await writeFile(meta, `${JSON.stringify(result.meta, null, 2)}\n`);
  const card = join(outDir, 'MODEL_CARD.md');
  await writeFile(card, writeModelCard(result));
  return { model, meta, card };
}
