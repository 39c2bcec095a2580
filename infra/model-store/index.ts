// The encrypted model store: model weights at rest are AES-256-GCM under a key derived from a
// passphrase with Argon2id, and are decrypted only into locked memory (README.md in this folder).
export type { SecureBuffer } from 'sodium-native';
export { decryptModelToSecureBuffer } from './decrypt.ts';
export { type EncryptOptions, encryptModel } from './encrypt.ts';
export { FORMAT_VERSION, MAGIC, parseHeader } from './format.ts';
export { DEFAULT_KDF, KDF_PROFILES, type KdfParams, type KdfProfile, MAX_KDF, MIN_KDF } from './kdf.ts';
export { type OpenModelOptions, openEncryptedModel } from './open.ts';
export {
  DEV_MODEL_PASSPHRASE,
  MODEL_KEY_ENV,
  MODEL_KEY_FILE_ENV,
  MODEL_NEW_KEY_ENV,
  type PassphraseSources,
  readKeyFile,
  resolveModelPassphrase,
} from './passphrase.ts';
