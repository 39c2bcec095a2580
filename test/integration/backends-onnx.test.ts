import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptModel, KDF_PROFILES } from '../../infra/model-store/index.ts';
import { createBackend, onnxBackendSchema } from '../../workers/backends/index.ts';
import type { BackendRequest, ModelBackend } from '../../workers/backends/types.ts';

const { onnx } = onnxProto;

// A real (tiny) language model: a byte-bigram table learnt from a corpus, exported as an ONNX
// graph (Slice the last token id, Gather its row of logits), encrypted with the model store and
// run by onnxruntime through the onnx backend. The test computes the same greedy decoding in plain
// JavaScript from the table and expects the backend's text to match.

const CORPUS = 'the queue keeps the worker busy. the worker reads the queue. ';
const PASSPHRASE = 'onnx-backend-test-passphrase';

function bigramLogits(corpus: string): Float32Array {
  const bytes = new TextEncoder().encode(corpus);
  const counts = new Float32Array(256 * 256).fill(0.01);
  for (let i = 0; i + 1 < bytes.length; i++) counts[bytes[i]! * 256 + bytes[i + 1]!]! += 1;
  counts[0x2e * 256 + 0]! += 100; // '.' ends the output (byte 0 is end-of-text)
  return counts.map(Math.log);
}

function bigramModel(table: Float32Array): Uint8Array {
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  const int64 = (name: string, values: number[]) => ({
    name,
    dims: [values.length],
    dataType: INT64,
    rawData: new Uint8Array(BigInt64Array.from(values, BigInt).buffer),
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'redline-backends-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'byte_bigram',
      node: [
        {
          opType: 'Slice',
          input: ['input_ids', 'starts', 'ends', 'axes'],
          output: ['last'],
          name: 'last_token',
        },
        { opType: 'Gather', input: ['table', 'last'], output: ['rows'], name: 'lookup' },
        { opType: 'Reshape', input: ['rows', 'shape'], output: ['logits'], name: 'to_logits' },
      ],
      initializer: [
        { name: 'table', dims: [256, 256], dataType: FLOAT, rawData: new Uint8Array(table.buffer.slice(0)) },
        int64('starts', [-1]),
        int64('ends', [2 ** 31]),
        int64('axes', [1]),
        int64('shape', [1, 256]),
      ],
      input: [
        {
          name: 'input_ids',
          type: { tensorType: { elemType: INT64, shape: { dim: [{ dimValue: 1 }, { dimParam: 'T' }] } } },
        },
      ],
      output: [
        {
          name: 'logits',
          type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: 256 }] } } },
        },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The same greedy decoding, straight from the table. */
function referenceGreedy(table: Float32Array, prompt: string, steps: number): string {
  let last = new TextEncoder().encode(prompt).at(-1)!;
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const row = table.subarray(last * 256, last * 256 + 256);
    let best = 0;
    for (let i = 1; i < 256; i++) if (row[i]! > row[best]!) best = i;
    if (best === 0) break;
    out.push(best);
    last = best;
  }
  return new TextDecoder().decode(Uint8Array.from(out));
}

let dir: string;
let path: string;
const table = bigramLogits(CORPUS);
const env = { TEST_MODEL_KEY: PASSPHRASE };
const backends: ModelBackend[] = [];

function backend(overrides: Record<string, unknown> = {}): ModelBackend {
  const b = createBackend(
    onnxBackendSchema.parse({
      kind: 'onnx',
      path,
      passphraseEnv: 'TEST_MODEL_KEY',
      maxNewTokens: 40,
      ...overrides,
    }),
    'tiny',
    env,
  );
  backends.push(b);
  return b;
}

function request(prompt: string, overrides: Partial<BackendRequest> = {}): BackendRequest {
  return {
    requestId: 'r1',
    model: 'tiny',
    prompt,
    maxTokens: 64,
    temperature: 0,
    signal: new AbortController().signal,
    ...overrides,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redline-onnx-backend-'));
  path = join(dir, 'tiny.onnx.enc');
  writeFileSync(path, await encryptModel(bigramModel(table), PASSPHRASE, { kdf: KDF_PROFILES.minimum }));
});

afterAll(async () => {
  for (const b of backends) await b.close?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('onnx backend (encrypted byte-bigram model)', () => {
  it('generates the greedy continuation the model table implies', async () => {
    const expected = referenceGreedy(table, 'what does th', 40);
    expect(expected).toMatch(/^e /); // 'th' -> 'the ' in this corpus
    const res = await backend().complete(request('what does th'));
    expect(res).toEqual({ text: expected, status: 200 });
  });

  it('streams the same text, bounded by maxTokens', async () => {
    const b = backend();
    let streamed = '';
    for await (const c of b.stream!(request('the w'))) streamed += c;
    expect(streamed).toBe(referenceGreedy(table, 'the w', 40));
    const short = await b.complete(request('the w', { maxTokens: 3 }));
    expect(short.text).toBe(referenceGreedy(table, 'the w', 3));
  });

  it('samples reproducibly per request id at a temperature above 0', async () => {
    const b = backend();
    const a1 = await b.complete(request('the ', { temperature: 1.5, requestId: 'x' }));
    const a2 = await b.complete(request('the ', { temperature: 1.5, requestId: 'x' }));
    expect(a2.text).toBe(a1.text);
    const others = await Promise.all(
      ['y', 'z', 'w', 'v'].map((id) => b.complete(request('the ', { temperature: 1.5, requestId: id }))),
    );
    expect(others.some((o) => o.text !== a1.text)).toBe(true);
  });

  it('honours the AbortSignal between steps', async () => {
    const ctrl = new AbortController();
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const c of backend().stream!(request('the q', { signal: ctrl.signal }))) {
          got.push(c);
          ctrl.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'BACKEND_ABORTED' });
    expect(got).toHaveLength(1);
  });

  it('fails with BACKEND_MODEL_ERROR (not retryable) for a wrong passphrase or a missing file', async () => {
    const wrong = createBackend(
      onnxBackendSchema.parse({ kind: 'onnx', path, passphraseEnv: 'WRONG_KEY' }),
      'tiny',
      { WRONG_KEY: 'not-the-passphrase' },
    );
    await expect(wrong.complete(request('x'))).rejects.toMatchObject({
      code: 'BACKEND_MODEL_ERROR',
      retryable: false,
    });
    const missing = backend({ path: join(dir, 'nope.enc') });
    await expect(missing.complete(request('x'))).rejects.toMatchObject({ code: 'BACKEND_MODEL_ERROR' });
  });
});
