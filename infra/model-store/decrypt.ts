import { createDecipheriv } from 'node:crypto';
import sodium, { type SecureBuffer } from 'sodium-native';
import { RedlineError } from '../../pipeline/errors.ts';
import { createLogger } from '../log.ts';
import { integrityError, parseHeader, TAG_BYTES } from './format.ts';
import { deriveKeys } from './kdf.ts';

/** Ciphertext is fed to the decipher in slices this big, bounding the plaintext outside locked memory. */
const CHUNK_BYTES = 64 * 1024;

const log = createLogger('model-store');

/**
 * sodium_malloc already tries to mlock and silently carries on when RLIMIT_MEMLOCK is too low;
 * locking again surfaces that failure so an operator learns the model could be swapped.
 */
function checkLocked(buffer: SecureBuffer): void {
  try {
    sodium.sodium_mlock(buffer);
  } catch {
    log.warn(
      { bytes: buffer.length },
      'cannot lock the decrypted model in memory (raise RLIMIT_MEMLOCK, e.g. ulimit -l); it could be swapped',
    );
  }
}

/**
 * Decrypts an encrypted model file into a libsodium secure buffer (sodium_malloc: guard pages,
 * mlock'ed so it is never swapped, freed when garbage collected). The caller must wipe it with
 * `sodium_memzero` once done. Nothing is returned unless the GCM tag verified.
 *
 * What this guarantees: the complete plaintext model exists only inside the secure buffer, and no
 * byte of it is ever written to disk. Node's decipher returns ordinary Buffers, so plaintext passes
 * through unlocked memory one 64 KiB chunk at a time; each chunk is copied into the secure buffer
 * and zeroed at once.
 * What it does not guarantee: that no transient copy survives elsewhere. OpenSSL keeps the AES key
 * schedule and works on internal blocks in unlocked memory; a chunk could be swapped out in the
 * short window before it is zeroed; the passphrase is a JS string that cannot be wiped; and once
 * onnxruntime has built a session, the weights live in its own (unlocked) allocations.
 * Failures: MODEL_INTEGRITY (damaged, truncated, bad magic, tag mismatch), MODEL_FORMAT (an intact
 * header of an unknown version or parameters out of bounds), MODEL_KEY (wrong passphrase).
 */
export async function decryptModelToSecureBuffer(
  file: Uint8Array,
  passphrase: string,
): Promise<SecureBuffer> {
  const header = parseHeader(file);
  const keys = await deriveKeys(passphrase, header.salt, header.kdf);
  let plain: SecureBuffer | undefined;
  try {
    if (!sodium.sodium_memcmp(keys.keyCheck, header.keyCheck)) {
      throw new RedlineError('MODEL_KEY', 'encrypted model: wrong passphrase (key check failed)');
    }
    const body = Buffer.from(file.buffer, file.byteOffset + header.bytes.length, header.plaintextLength);
    const tag = Buffer.from(file.buffer, file.byteOffset + file.byteLength - TAG_BYTES, TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', keys.aesKey, header.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(header.bytes);
    decipher.setAuthTag(tag);
    plain = sodium.sodium_malloc(header.plaintextLength);
    checkLocked(plain);
    let written = 0;
    for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) {
      const chunk = decipher.update(body.subarray(offset, offset + CHUNK_BYTES));
      chunk.copy(plain, written);
      written += chunk.length;
      sodium.sodium_memzero(chunk);
    }
    try {
      const rest = decipher.final(); // verifies the tag; GCM returns nothing more
      rest.copy(plain, written);
      written += rest.length;
      sodium.sodium_memzero(rest);
    } catch {
      throw integrityError('authentication tag mismatch (damaged body, tag or header)');
    }
    if (written !== header.plaintextLength) throw integrityError('decrypted length mismatch');
    return plain;
  } catch (err) {
    if (plain) sodium.sodium_memzero(plain);
    throw err;
  } finally {
    keys.wipe();
  }
}
