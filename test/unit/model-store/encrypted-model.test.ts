import { createHash } from 'node:crypto';
import ort from 'onnxruntime-node';
import sodium from 'sodium-native';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptModelToSecureBuffer,
  encryptModel,
  FORMAT_VERSION,
  MAGIC,
  MIN_KDF,
  openEncryptedModel,
  parseHeader,
} from '../../../infra/model-store/index.ts';
import { tinyAddModel } from './tiny-model.ts';

// Tests use the loader's floor for Argon2id (19 MiB, 2 passes) so each derivation takes ~20 ms.
const PASS = 'correct horse battery staple';
const HEADER = 128;
const TAG = 16;
const model = tinyAddModel();
let encrypted: Buffer;

beforeAll(async () => {
  encrypted = await encryptModel(model.bytes, PASS, { kdf: MIN_KDF });
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'LOADED';
  } catch (err) {
    return (err as { code?: string }).code ?? `UNCODED ${(err as Error).message}`;
  }
}

function flipBit(file: Buffer, byte: number, bit: number): Buffer {
  const copy = Buffer.from(file);
  copy[byte]! ^= 1 << bit;
  return copy;
}

/** Rewrites header fields and recomputes the (unkeyed) header digest, as a deliberate editor would. */
function editHeader(file: Buffer, edit: (header: Buffer) => void): Buffer {
  const copy = Buffer.from(file);
  const header = copy.subarray(0, HEADER);
  edit(header);
  header.fill(0, 12, 44);
  createHash('sha256').update(header).digest().copy(header, 12);
  return copy;
}

async function runAdd(session: ort.InferenceSession): Promise<Float32Array> {
  const x = new Float32Array(model.constant.length).fill(2);
  const out = await session.run({ x: new ort.Tensor('float32', x, [x.length]) });
  return out.y!.data as Float32Array;
}

describe('encrypted model store', () => {
  it('round-trips: the header is versioned, each encryption is fresh, decryption gives the bytes back', async () => {
    expect(encrypted.subarray(0, 8).equals(MAGIC)).toBe(true);
    expect(encrypted.length).toBe(HEADER + model.bytes.length + TAG);
    const header = parseHeader(encrypted);
    expect(header.version).toBe(FORMAT_VERSION);
    expect(header.kdf).toEqual(MIN_KDF);
    // The ciphertext does not contain the plaintext.
    expect(encrypted.includes(Buffer.from(model.bytes.subarray(200, 264)))).toBe(false);

    const again = await encryptModel(model.bytes, PASS, { kdf: MIN_KDF });
    expect(again.subarray(56, 84).equals(encrypted.subarray(56, 84))).toBe(false); // salt and nonce
    expect(again.subarray(HEADER).equals(encrypted.subarray(HEADER))).toBe(false);

    const plain = await decryptModelToSecureBuffer(encrypted, PASS);
    expect(plain.secure).toBe(true);
    expect(Buffer.from(plain).equals(Buffer.from(model.bytes))).toBe(true);
    sodium.sodium_memzero(plain);
  });

  it('opens as an onnxruntime session that computes y = x + C', async () => {
    const session = await openEncryptedModel(encrypted, PASS);
    const y = await runAdd(session);
    for (let i = 0; i < y.length; i++) expect(y[i]).toBeCloseTo(model.constant[i]! + 2, 3);
    await session.release();
  });

  it('wipes the secure buffer once the session exists, and the session still works', async () => {
    let seen: { secure: boolean | undefined; length: number; zero: boolean; any: boolean } | undefined;
    const session = await openEncryptedModel(
      encrypted,
      PASS,
      {},
      {
        onWiped: (buffer) => {
          seen = {
            secure: buffer.secure,
            length: buffer.length,
            zero: sodium.sodium_is_zero(buffer),
            any: buffer.some((b) => b !== 0),
          };
        },
      },
    );
    expect(seen).toEqual({ secure: true, length: model.bytes.length, zero: true, any: false });
    const y = await runAdd(session);
    expect(y[123]).toBeCloseTo(model.constant[123]! + 2, 3);
    await session.release();
  });

  it('refuses every flipped header bit with MODEL_INTEGRITY', async () => {
    const codes = new Set<string>();
    for (let byte = 0; byte < HEADER; byte++) {
      codes.add(await codeOf(decryptModelToSecureBuffer(flipBit(encrypted, byte, byte % 8), PASS)));
    }
    expect([...codes]).toEqual(['MODEL_INTEGRITY']);
  });

  it('refuses flipped bits across the body and every tag byte with MODEL_INTEGRITY', async () => {
    const bodyLength = model.bytes.length;
    const positions = [
      ...Array.from({ length: 24 }, (_, i) => HEADER + Math.floor((i * bodyLength) / 24)),
      HEADER + bodyLength - 1,
      ...Array.from({ length: TAG }, (_, i) => HEADER + bodyLength + i),
    ];
    for (const [n, position] of positions.entries()) {
      const code = await codeOf(decryptModelToSecureBuffer(flipBit(encrypted, position, n % 8), PASS));
      expect({ position, code }).toEqual({ position, code: 'MODEL_INTEGRITY' });
    }
    // And through the loader, which must not create a session from damaged bytes.
    expect(await codeOf(openEncryptedModel(flipBit(encrypted, HEADER + 500, 3), PASS))).toBe(
      'MODEL_INTEGRITY',
    );
  });

  it('tells a wrong passphrase (MODEL_KEY) from damage', async () => {
    expect(await codeOf(decryptModelToSecureBuffer(encrypted, `${PASS}!`))).toBe('MODEL_KEY');
    expect(await codeOf(openEncryptedModel(encrypted, 'Correct horse battery staple'))).toBe('MODEL_KEY');
    expect(await codeOf(decryptModelToSecureBuffer(encrypted, ''))).toBe('MODEL_KEY');
  });

  it('refuses truncated and extended files with MODEL_INTEGRITY', async () => {
    const lengths = [
      0,
      1,
      8,
      43,
      44,
      100,
      HEADER - 1,
      HEADER,
      HEADER + 1,
      HEADER + 1000,
      encrypted.length - TAG,
    ];
    lengths.push(encrypted.length - 1);
    for (const length of lengths) {
      const code = await codeOf(decryptModelToSecureBuffer(encrypted.subarray(0, length), PASS));
      expect({ length, code }).toEqual({ length, code: 'MODEL_INTEGRITY' });
    }
    const extended = Buffer.concat([encrypted, Buffer.from([0])]);
    expect(await codeOf(decryptModelToSecureBuffer(extended, PASS))).toBe('MODEL_INTEGRITY');
    expect(await codeOf(decryptModelToSecureBuffer(Buffer.from('not a model at all, just text'), PASS))).toBe(
      'MODEL_INTEGRITY',
    );
  });

  it('refuses an intact header of an unknown version or with out-of-bounds parameters as MODEL_FORMAT', async () => {
    const v2 = editHeader(encrypted, (h) => h.writeUInt16BE(2, 8));
    expect(await codeOf(decryptModelToSecureBuffer(v2, PASS))).toBe('MODEL_FORMAT');
    const hugeMemory = editHeader(encrypted, (h) => h.writeUInt32BE(64 * 1024 * 1024, 52)); // 64 GiB in KiB
    expect(await codeOf(decryptModelToSecureBuffer(hugeMemory, PASS))).toBe('MODEL_FORMAT');
    const weak = editHeader(encrypted, (h) => h.writeUInt32BE(1, 48));
    expect(await codeOf(decryptModelToSecureBuffer(weak, PASS))).toBe('MODEL_FORMAT');
    // A deliberately edited salt (digest recomputed) still never loads: the key check fails.
    const newSalt = editHeader(encrypted, (h) => {
      h[60]! ^= 1;
    });
    expect(await codeOf(decryptModelToSecureBuffer(newSalt, PASS))).toBe('MODEL_KEY');
    // As does a deliberately edited nonce (the key check passes; the tag does not).
    const newNonce = editHeader(encrypted, (h) => {
      h[75]! ^= 1;
    });
    expect(await codeOf(decryptModelToSecureBuffer(newNonce, PASS))).toBe('MODEL_INTEGRITY');
  });

  it('refuses to encrypt with Argon2id parameters below the floor', async () => {
    expect(
      await codeOf(encryptModel(model.bytes, PASS, { kdf: { opslimit: 1, memlimitBytes: 8 << 20 } })),
    ).toBe('MODEL_KDF_PARAMS');
  });

  it('reports a decrypted file that is not an ONNX model as MODEL_LOAD, still wiping the buffer', async () => {
    const junk = await encryptModel(Buffer.from('definitely not protobuf'.repeat(10)), PASS, {
      kdf: MIN_KDF,
    });
    let wiped = false;
    const code = await codeOf(
      openEncryptedModel(junk, PASS, {}, { onWiped: (b) => (wiped = sodium.sodium_is_zero(b)) }),
    );
    expect(code).toBe('MODEL_LOAD');
    expect(wiped).toBe(true);
  });
});
