import { createHash, timingSafeEqual } from 'node:crypto';
import { RedlineError } from '../../pipeline/errors.ts';
import { type KdfParams, validateKdfParams } from './kdf.ts';

// The encrypted model file, version 1 (all integers big-endian):
//
//   offset size  field
//        0    8  magic "RLMDLENC"
//        8    2  format version (1)
//       10    2  header length (128 in version 1)
//       12   32  header digest: SHA-256 of the header bytes with this field zeroed
//   ---- the 44 bytes above are the same in every version; the rest is version 1's ----
//       44    1  KDF id (1 = Argon2id v1.3, libsodium crypto_pwhash)
//       45    1  cipher id (1 = AES-256-GCM)
//       46    2  reserved, zero
//       48    4  Argon2id opslimit (passes)
//       52    4  Argon2id memlimit in KiB
//       56   16  salt
//       72   12  GCM nonce
//       84    4  reserved, zero
//       88    8  plaintext length (the ciphertext has the same length)
//       96   32  key-check value (see kdf.ts)
//      128    n  ciphertext
//    128+n   16  GCM tag
//
// The whole header is the GCM additional data, so any change to it fails the tag. The unkeyed
// header digest exists only to *classify* errors before the (slow) key derivation: a flipped bit
// in the header is MODEL_INTEGRITY rather than a misleading MODEL_KEY (a changed salt or KDF
// parameter would otherwise derive a different key and fail the key check). Someone who edits the
// header on purpose can recompute the digest; the file then fails the key check or the tag, so it
// still never loads; only the error code could then read MODEL_KEY.

export const MAGIC = Buffer.from('RLMDLENC', 'latin1');
export const FORMAT_VERSION = 1;
export const FIXED_PREFIX_LENGTH = 44;
export const HEADER_LENGTH_V1 = 128;
export const SALT_BYTES = 16;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_CHECK_BYTES = 32;
export const KDF_ARGON2ID13 = 1;
export const CIPHER_AES_256_GCM = 1;

const DIGEST_OFFSET = 12;
const DIGEST_BYTES = 32;

export interface ModelHeader {
  version: number;
  kdf: KdfParams;
  salt: Buffer;
  nonce: Buffer;
  plaintextLength: number;
  keyCheck: Buffer;
  /** The raw header bytes (the GCM additional data). */
  bytes: Buffer;
}

export function integrityError(message: string): RedlineError {
  return new RedlineError('MODEL_INTEGRITY', `encrypted model: ${message}`);
}

function formatError(message: string): RedlineError {
  return new RedlineError('MODEL_FORMAT', `encrypted model: ${message}`);
}

function headerDigest(header: Buffer): Buffer {
  const copy = Buffer.from(header);
  copy.fill(0, DIGEST_OFFSET, DIGEST_OFFSET + DIGEST_BYTES);
  return createHash('sha256').update(copy).digest();
}

export interface HeaderFields {
  kdf: KdfParams;
  salt: Buffer;
  nonce: Buffer;
  plaintextLength: number;
  keyCheck: Buffer;
}

/** Builds a version 1 header (digest included). */
export function encodeHeader(fields: HeaderFields): Buffer {
  const h = Buffer.alloc(HEADER_LENGTH_V1);
  MAGIC.copy(h, 0);
  h.writeUInt16BE(FORMAT_VERSION, 8);
  h.writeUInt16BE(HEADER_LENGTH_V1, 10);
  h.writeUInt8(KDF_ARGON2ID13, 44);
  h.writeUInt8(CIPHER_AES_256_GCM, 45);
  h.writeUInt32BE(fields.kdf.opslimit, 48);
  h.writeUInt32BE(fields.kdf.memlimitBytes / 1024, 52);
  fields.salt.copy(h, 56);
  fields.nonce.copy(h, 72);
  h.writeBigUInt64BE(BigInt(fields.plaintextLength), 88);
  fields.keyCheck.copy(h, 96);
  headerDigest(h).copy(h, DIGEST_OFFSET);
  return h;
}

/**
 * Parses and checks everything that can be checked without the key, in an order that gives each
 * failure its right code: damage (bad magic, truncation, any flipped header bit) is MODEL_INTEGRITY;
 * an intact header this code does not understand is MODEL_FORMAT.
 */
export function parseHeader(file: Uint8Array): ModelHeader {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < FIXED_PREFIX_LENGTH) throw integrityError('file too short for a header (truncated?)');
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC))
    throw integrityError('bad magic: not a redline model file');
  const headerLength = buf.readUInt16BE(10);
  if (headerLength < FIXED_PREFIX_LENGTH || headerLength > buf.length) {
    throw integrityError('header length out of range (truncated or damaged header)');
  }
  const header = buf.subarray(0, headerLength);
  const stored = header.subarray(DIGEST_OFFSET, DIGEST_OFFSET + DIGEST_BYTES);
  if (!timingSafeEqual(stored, headerDigest(header)))
    throw integrityError('header digest mismatch (damaged header)');

  const version = header.readUInt16BE(8);
  if (version !== FORMAT_VERSION) throw formatError(`unsupported format version ${version}`);
  if (headerLength !== HEADER_LENGTH_V1)
    throw formatError(`version 1 header length must be ${HEADER_LENGTH_V1}`);
  if (header.readUInt8(44) !== KDF_ARGON2ID13) throw formatError(`unknown KDF id ${header.readUInt8(44)}`);
  if (header.readUInt8(45) !== CIPHER_AES_256_GCM)
    throw formatError(`unknown cipher id ${header.readUInt8(45)}`);
  if (header.readUInt16BE(46) !== 0 || header.readUInt32BE(84) !== 0) throw formatError('reserved bytes set');
  const kdf: KdfParams = { opslimit: header.readUInt32BE(48), memlimitBytes: header.readUInt32BE(52) * 1024 };
  validateKdfParams(kdf, 'MODEL_FORMAT');

  const plaintextLength = header.readBigUInt64BE(88);
  if (plaintextLength !== BigInt(buf.length - headerLength - TAG_BYTES)) {
    throw integrityError('body length does not match the header (truncated or extended file)');
  }
  return {
    version,
    kdf,
    salt: Buffer.from(header.subarray(56, 56 + SALT_BYTES)),
    nonce: Buffer.from(header.subarray(72, 72 + NONCE_BYTES)),
    plaintextLength: Number(plaintextLength),
    keyCheck: Buffer.from(header.subarray(96, 96 + KEY_CHECK_BYTES)),
    bytes: Buffer.from(header),
  };
}
