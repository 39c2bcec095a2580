import sodium, { type SecureBuffer } from 'sodium-native';
import { RedlineError } from '../../pipeline/errors.ts';

// Key derivation: Argon2id (libsodium's crypto_pwhash, memory-hard) turns the passphrase and the
// file's salt into a 32-byte master key; libsodium's crypto_kdf (BLAKE2b) splits it into two
// independent subkeys:
//   - subkey 1: the AES-256-GCM key;
//   - subkey 2: the key-check value stored in the header.
// GCM alone cannot tell a wrong key from a damaged file (both fail the tag). Comparing the
// key-check value first makes a wrong passphrase MODEL_KEY and damage MODEL_INTEGRITY. It reveals
// nothing about the AES key (a different PRF output) and gives a guesser nothing GCM's tag does
// not: each guess still costs one Argon2id run.

export interface KdfParams {
  /** Argon2id passes (libsodium opslimit). */
  opslimit: number;
  /** Argon2id memory in bytes (stored in the header in KiB). */
  memlimitBytes: number;
}

const MiB = 1024 * 1024;

/**
 * Named parameter sets. `moderate` is the default for `redline model encrypt` (the production
 * default: 256 MiB, about 0.4 s on a 2020s server core). `minimum` is the floor the loader accepts:
 * OWASP's Argon2id minimum (19 MiB, t=2, p=1), which OWASP rates equal to PBKDF2-HMAC-SHA256 with
 * 600,000 iterations, above the reference design's 100,000-iteration floor; tests use it for speed.
 */
export const KDF_PROFILES = {
  minimum: { opslimit: 2, memlimitBytes: 19 * MiB },
  interactive: {
    opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    memlimitBytes: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
  },
  moderate: {
    opslimit: sodium.crypto_pwhash_OPSLIMIT_MODERATE,
    memlimitBytes: sodium.crypto_pwhash_MEMLIMIT_MODERATE,
  },
  sensitive: {
    opslimit: sodium.crypto_pwhash_OPSLIMIT_SENSITIVE,
    memlimitBytes: sodium.crypto_pwhash_MEMLIMIT_SENSITIVE,
  },
} as const satisfies Record<string, KdfParams>;
export type KdfProfile = keyof typeof KDF_PROFILES;

export const DEFAULT_KDF: KdfParams = KDF_PROFILES.moderate;
export const MIN_KDF: KdfParams = KDF_PROFILES.minimum;
/** Upper bounds, so a crafted header cannot make the loader allocate or spin without limit. */
export const MAX_KDF: KdfParams = { opslimit: 16, memlimitBytes: 1024 * MiB };

export function validateKdfParams(kdf: KdfParams, code: string): void {
  const ok =
    Number.isInteger(kdf.opslimit) &&
    Number.isInteger(kdf.memlimitBytes) &&
    kdf.memlimitBytes % 1024 === 0 &&
    kdf.opslimit >= MIN_KDF.opslimit &&
    kdf.opslimit <= MAX_KDF.opslimit &&
    kdf.memlimitBytes >= MIN_KDF.memlimitBytes &&
    kdf.memlimitBytes <= MAX_KDF.memlimitBytes;
  if (!ok) {
    throw new RedlineError(
      code,
      `Argon2id parameters out of bounds: opslimit ${kdf.opslimit} (allowed ${MIN_KDF.opslimit}..${MAX_KDF.opslimit}), ` +
        `memlimit ${kdf.memlimitBytes} bytes (allowed ${MIN_KDF.memlimitBytes}..${MAX_KDF.memlimitBytes}, whole KiB)`,
    );
  }
}

const KDF_CONTEXT = Buffer.from('RLMODEL1', 'latin1'); // crypto_kdf contexts are 8 bytes
const SUBKEY_AES = 1;
const SUBKEY_KEY_CHECK = 2;

export interface DerivedKeys {
  /** The AES-256-GCM key, in a secure buffer. */
  aesKey: SecureBuffer;
  /** Compared with the header's key-check value. */
  keyCheck: Buffer;
  /** Wipes the key material. */
  wipe(): void;
}

/**
 * Runs Argon2id off the main thread (libuv pool). The passphrase arrives as a JS string, which
 * cannot be wiped; its UTF-8 copy and every key live in sodium secure buffers and are zeroed here
 * or by `wipe()`.
 */
export async function deriveKeys(passphrase: string, salt: Buffer, kdf: KdfParams): Promise<DerivedKeys> {
  if (passphrase.length === 0) throw new RedlineError('MODEL_KEY', 'the model passphrase is empty');
  const passwordBytes = sodium.sodium_malloc(Buffer.byteLength(passphrase, 'utf8'));
  passwordBytes.write(passphrase, 'utf8');
  const master = sodium.sodium_malloc(32);
  try {
    await sodium.crypto_pwhash_async(
      master,
      passwordBytes,
      salt,
      kdf.opslimit,
      kdf.memlimitBytes,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
  } finally {
    sodium.sodium_memzero(passwordBytes);
  }
  const aesKey = sodium.sodium_malloc(32);
  const keyCheck = Buffer.alloc(32);
  sodium.crypto_kdf_derive_from_key(aesKey, SUBKEY_AES, KDF_CONTEXT, master);
  sodium.crypto_kdf_derive_from_key(keyCheck, SUBKEY_KEY_CHECK, KDF_CONTEXT, master);
  sodium.sodium_memzero(master);
  return {
    aesKey,
    keyCheck,
    wipe() {
      sodium.sodium_memzero(aesKey);
      sodium.sodium_memzero(keyCheck);
    },
  };
}
