import { readFileSync } from 'node:fs';
import { RedlineError } from '../../errors.ts';
import { EMBEDDING_DIM, EMBEDDING_NAME } from './embed.ts';
import { FingerprintIndex, type IndexKind } from './fingerprint-index.ts';

// The shipped corpus of known attacks: embeddings only (no prompt text), int8-quantised per vector,
// base64 in a JSON file. Built by build-corpus.ts; refused if built with another embedding.

export const CORPUS_FORMAT = 'redline-attack-corpus/1';

export interface CorpusFile {
  format: string;
  embedding: { name: string; dim: number };
  /** Where the entries came from (data set, commit, filters). */
  provenance: Record<string, unknown>;
  /** Float32 background mean, base64 (see embed.ts `center`). */
  mean: string;
  count: number;
  ids: string[];
  /** int8 values, `count * dim` of them, each vector scaled so its largest component is ±127. */
  vectors: string;
}

export function quantize(vectors: Float32Array[]): string {
  const bytes = new Int8Array(vectors.length * EMBEDDING_DIM);
  vectors.forEach((v, n) => {
    let max = 0;
    for (const x of v) max = Math.max(max, Math.abs(x));
    const scale = max > 0 ? 127 / max : 0;
    for (let i = 0; i < EMBEDDING_DIM; i++) bytes[n * EMBEDDING_DIM + i] = Math.round(v[i]! * scale);
  });
  return Buffer.from(bytes.buffer).toString('base64');
}

export function encodeMean(mean: Float32Array): string {
  const buf = Buffer.alloc(EMBEDDING_DIM * 4);
  for (let i = 0; i < EMBEDDING_DIM; i++) buf.writeFloatLE(mean[i]!, i * 4);
  return buf.toString('base64');
}

export function loadCorpus(file: string, threshold: number, kind: IndexKind): FingerprintIndex {
  let corpus: CorpusFile;
  try {
    corpus = JSON.parse(readFileSync(file, 'utf8')) as CorpusFile;
  } catch (err) {
    throw new RedlineError('CORPUS_INVALID', `${file}: ${(err as Error).message}`);
  }
  if (
    corpus.format !== CORPUS_FORMAT ||
    corpus.embedding?.name !== EMBEDDING_NAME ||
    corpus.embedding.dim !== EMBEDDING_DIM
  ) {
    throw new RedlineError('CORPUS_INVALID', `${file}: built for another format or embedding; rebuild it`);
  }
  const raw = Buffer.from(corpus.vectors, 'base64');
  const bytes = new Int8Array(raw.buffer, raw.byteOffset, raw.length);
  if (bytes.length !== corpus.count * EMBEDDING_DIM || corpus.ids.length !== corpus.count) {
    throw new RedlineError('CORPUS_INVALID', `${file}: size does not match its count`);
  }
  const meanBytes = Buffer.from(corpus.mean, 'base64');
  const mean = new Float32Array(EMBEDDING_DIM);
  if (meanBytes.length !== EMBEDDING_DIM * 4)
    throw new RedlineError('CORPUS_INVALID', `${file}: bad mean vector`);
  for (let i = 0; i < EMBEDDING_DIM; i++) mean[i] = meanBytes.readFloatLE(i * 4);
  const index = new FingerprintIndex(threshold, kind, mean, Math.max(1024, corpus.count * 2));
  const v = new Float32Array(EMBEDDING_DIM);
  for (let n = 0; n < corpus.count; n++) {
    let norm = 0;
    for (let i = 0; i < EMBEDDING_DIM; i++) {
      const x = bytes[n * EMBEDDING_DIM + i]!;
      v[i] = x;
      norm += x * x;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < EMBEDDING_DIM; i++) v[i]! *= inv;
    index.addVector(corpus.ids[n]!, v);
  }
  return index;
}
