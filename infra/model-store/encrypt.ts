import { createCipheriv, randomBytes } from 'node:crypto';
import { encodeHeader, KEY_CHECK_BYTES, NONCE_BYTES, SALT_BYTES } from './format.ts';
import { DEFAULT_KDF, deriveKeys, type KdfParams, validateKdfParams } from './kdf.ts';

export interface EncryptOptions {
  /** Argon2id parameters; default `DEFAULT_KDF` (libsodium's "moderate": 3 passes, 256 MiB). */
  kdf?: KdfParams;
}

/**
 * Encrypts a model (the ONNX bytes) under a passphrase: a fresh random salt and nonce per file,
 * AES-256-GCM with the whole header as additional data. Returns the file's bytes.
 */
export async function encryptModel(
  plain: Uint8Array,
  passphrase: string,
  options: EncryptOptions = {},
): Promise<Buffer> {
  const kdf = options.kdf ?? DEFAULT_KDF;
  validateKdfParams(kdf, 'MODEL_KDF_PARAMS');
  const salt = randomBytes(SALT_BYTES);
  // A random 96-bit nonce is safe here: every file has its own salt, hence its own key.
  const nonce = randomBytes(NONCE_BYTES);
  const keys = await deriveKeys(passphrase, salt, kdf);
  try {
    const header = encodeHeader({
      kdf,
      salt,
      nonce,
      plaintextLength: plain.byteLength,
      keyCheck: keys.keyCheck.subarray(0, KEY_CHECK_BYTES),
    });
    const cipher = createCipheriv('aes-256-gcm', keys.aesKey, nonce);
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]);
  } finally {
    keys.wipe();
  }
}
