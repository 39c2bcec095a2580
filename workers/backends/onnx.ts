import type ort from 'onnxruntime-node';
import { resolveModelPassphrase } from '../../infra/model-store/passphrase.ts';
import type { OnnxBackendConfig } from './config.ts';
import { BackendError, throwIfAborted } from './errors.ts';
import { mulberry32, type Rng } from './random.ts';
import type { BackendRequest, BackendResponse, ModelBackend } from './types.ts';

/**
 * A local ONNX language model, encrypted at rest (infra/model-store) and decrypted only into memory
 * when first used. The contract, kept small on purpose: a byte-level model (vocabulary = the 256
 * UTF-8 byte values, byte 0 ends the output) whose first input takes int64 token ids [1, T] and
 * whose first output gives next-token logits, [1, 256] or [1, T, 256] (the last position is used).
 * Decoding is greedy at temperature 0, otherwise sampled from softmax(logits / temperature) with a
 * PRNG seeded from the request id (the same request gives the same text).
 */
export class OnnxBackend implements ModelBackend {
  readonly name: string;
  readonly #config: OnnxBackendConfig;
  readonly #env: NodeJS.ProcessEnv;
  #session: Promise<ort.InferenceSession> | null = null;

  constructor(config: OnnxBackendConfig, model: string, env: NodeJS.ProcessEnv = process.env) {
    this.name = `onnx:${model}`;
    this.#config = config;
    this.#env = env;
  }

  async complete(request: BackendRequest): Promise<BackendResponse> {
    const bytes: number[] = [];
    for await (const byte of this.#generate(request)) bytes.push(byte);
    return { text: new TextDecoder().decode(Uint8Array.from(bytes)), status: 200 };
  }

  async *stream(request: BackendRequest): AsyncGenerator<string> {
    const decoder = new TextDecoder();
    for await (const byte of this.#generate(request)) {
      // Stream mode holds back an incomplete multi-byte character until its last byte.
      const text = decoder.decode(Uint8Array.of(byte), { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  async close(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    if (session) await (await session.catch(() => null))?.release();
  }

  async *#generate(request: BackendRequest): AsyncGenerator<number> {
    throwIfAborted(request.signal);
    const session = await this.#open();
    const ort = await import('onnxruntime-node');
    const context = Array.from(new TextEncoder().encode(request.prompt)).slice(-this.#config.contextTokens);
    if (context.length === 0) context.push(0x20);
    const rng = request.temperature > 0 ? mulberry32(hash(request.requestId)) : null;
    const steps = Math.min(this.#config.maxNewTokens, request.maxTokens);
    for (let step = 0; step < steps; step++) {
      throwIfAborted(request.signal);
      const ids = new ort.Tensor('int64', BigInt64Array.from(context, BigInt), [1, context.length]);
      let output: ort.InferenceSession.OnnxValueMapType;
      try {
        output = await session.run({ [session.inputNames[0]!]: ids });
      } catch (err) {
        throw modelError(`the model failed to run: ${(err as Error).message}`, err);
      }
      const logits = lastLogits(output[session.outputNames[0]!]);
      const token = rng ? sample(logits, request.temperature, rng) : argmax(logits);
      if (token === 0) return;
      yield token;
      context.push(token);
      if (context.length > this.#config.contextTokens) context.shift();
    }
  }

  #open(): Promise<ort.InferenceSession> {
    if (!this.#session) {
      this.#session = (async () => {
        const { openEncryptedModel } = await import('../../infra/model-store/open.ts');
        const passphrase = resolveModelPassphrase(this.#env, { keyVar: this.#config.passphraseEnv });
        return openEncryptedModel(this.#config.path, passphrase);
      })().catch((err: unknown) => {
        this.#session = null; // a later call may succeed (e.g. the file was being written)
        const code = (err as { code?: string }).code ?? 'unknown';
        throw modelError(`cannot open the encrypted model (${code})`, err);
      });
    }
    return this.#session;
  }
}

function modelError(message: string, cause: unknown): BackendError {
  return new BackendError('BACKEND_MODEL_ERROR', message, { retryable: false, cause });
}

function lastLogits(value: ort.Tensor | undefined): Float32Array {
  if (value?.type !== 'float32') throw modelError('the model output is not float32 logits', undefined);
  const data = value.data as Float32Array;
  const vocab = value.dims[value.dims.length - 1];
  if (vocab !== 256) throw modelError(`the model's vocabulary is ${vocab}, not 256 bytes`, undefined);
  return data.subarray(data.length - 256);
}

function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

function sample(logits: Float32Array, temperature: number, rng: Rng): number {
  const max = logits[argmax(logits)]!;
  const weights = Array.from(logits, (l) => Math.exp((l - max) / temperature));
  let r = rng() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r <= 0) return i;
  }
  return weights.length - 1;
}

/** FNV-1a, to seed sampling from the request id. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
