import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import sodium, { type SecureBuffer } from 'sodium-native';
import { RedlineError } from '../../pipeline/errors.ts';
import { decryptModelToSecureBuffer } from './decrypt.ts';

export interface OpenModelOptions {
  /**
   * Called synchronously with the secure buffer right after it was wiped and before it is freed
   * (inspect it inside the callback; it is detached afterwards). Lets tests observe the wipe.
   */
  onWiped?: (buffer: SecureBuffer) => void;
}

/**
 * Opens an encrypted model as an onnxruntime-node session: reads the file (or takes its bytes),
 * decrypts it into a locked secure buffer after the tag verified (see decrypt.ts), creates the
 * session from that buffer, then wipes and frees the buffer. onnxruntime parses the model into its
 * own memory, so the session keeps working after the wipe (the tests check both). No plaintext is
 * ever written to disk.
 */
export async function openEncryptedModel(
  source: string | Uint8Array,
  passphrase: string,
  sessionOptions: ort.InferenceSession.SessionOptions = {},
  options: OpenModelOptions = {},
): Promise<ort.InferenceSession> {
  const file = typeof source === 'string' ? await readEncryptedFile(source) : source;
  const plain = await decryptModelToSecureBuffer(file, passphrase);
  try {
    return await ort.InferenceSession.create(plain, sessionOptions);
  } catch (err) {
    throw new RedlineError(
      'MODEL_LOAD',
      `onnxruntime cannot load the decrypted model: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  } finally {
    sodium.sodium_memzero(plain);
    options.onWiped?.(plain);
    sodium.sodium_free(plain);
  }
}

async function readEncryptedFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new RedlineError(
      'MODEL_NOT_FOUND',
      `cannot read encrypted model ${path}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
