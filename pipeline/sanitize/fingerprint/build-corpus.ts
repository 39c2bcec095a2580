// Builds attack-corpus.json from the labelled prompts (label 1 rows):
//   node bin/run-ts.js pipeline/sanitize/fingerprint/build-corpus.ts [train.jsonl] [out.json]
// Each attack is normalised exactly as the stage normalises a prompt, embedded, and kept unless an
// entry already kept is a near copy (cosine >= 0.98: it would add nothing at the 0.92 threshold).
// It also prints how well the corpus generalises: attacks held out of the build (a fifth, by hash)
// that still match, and benign rows that would match (false positives).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalizeText } from '../normalize/index.ts';
import { CORPUS_FORMAT, type CorpusFile, encodeMean, quantize } from './corpus-file.ts';
import { EMBEDDING_DIM, EMBEDDING_NAME, embed } from './embed.ts';
import { FingerprintIndex } from './fingerprint-index.ts';

const source =
  process.argv[2] ?? fileURLToPath(new URL('../../../../shared/data/prompts/train.jsonl', import.meta.url));
const out = process.argv[3] ?? fileURLToPath(new URL('./attack-corpus.json', import.meta.url));
const THRESHOLD = 0.92;
const NEAR_COPY = 0.98;

interface Row {
  text: string;
  label: number;
  source: string;
}

const rows = readFileSync(source, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Row);
const prepared = rows.map((row) => ({
  ...row,
  id: createHash('sha256').update(row.text).digest('hex').slice(0, 12),
  view: normalizeText(row.text, { maxDepth: 3, maxLayers: 32 }).detectText,
}));
// The background mean over every row, benign and attack alike (what "an ordinary prompt" looks like).
const mean = new Float32Array(EMBEDDING_DIM);
for (const row of prepared) {
  const v = embed(row.view);
  for (let i = 0; i < EMBEDDING_DIM; i++) mean[i]! += v[i]! / prepared.length;
}
const attacks = prepared.filter((r) => r.label === 1);
const benign = prepared.filter((r) => r.label === 0);

function build(entries: typeof attacks): {
  index: FingerprintIndex;
  kept: Array<{ id: string; vector: Float32Array }>;
} {
  const index = new FingerprintIndex(NEAR_COPY, 'brute', mean, entries.length);
  const kept: Array<{ id: string; vector: Float32Array }> = [];
  for (const e of entries) {
    if (index.search(e.view).score >= NEAR_COPY) continue;
    const vector = index.embed(e.view);
    index.addVector(e.id, vector);
    kept.push({ id: e.id, vector });
  }
  return { index, kept };
}

function rate(index: FingerprintIndex, entries: typeof attacks): number {
  return entries.filter((e) => index.search(e.view).score >= THRESHOLD).length / Math.max(1, entries.length);
}

// Generalisation check on a held-out fifth of the attacks.
const heldOut = attacks.filter((a) => Number.parseInt(a.id.slice(0, 2), 16) % 5 === 0);
const trainPart = attacks.filter((a) => Number.parseInt(a.id.slice(0, 2), 16) % 5 !== 0);
const partial = build(trainPart);
const evalIndex = new FingerprintIndex(THRESHOLD, 'brute', mean, partial.kept.length);
for (const k of partial.kept) evalIndex.addVector(k.id, k.vector);

const { kept } = build(attacks);
const full = new FingerprintIndex(THRESHOLD, 'brute', mean, kept.length);
for (const k of kept) full.addVector(k.id, k.vector);

const stats = {
  attacks: attacks.length,
  kept: kept.length,
  heldOutAttacksMatched: Number(rate(evalIndex, heldOut).toFixed(4)),
  benignRowsMatched: Number(rate(full, benign).toFixed(4)),
};
const file: CorpusFile = {
  format: CORPUS_FORMAT,
  embedding: { name: EMBEDDING_NAME, dim: EMBEDDING_DIM },
  provenance: {
    dataset:
      'shared/data/prompts/train.jsonl (label 1 rows; see its README and SOURCES.json for upstream sets and licences)',
    nearCopyThreshold: NEAR_COPY,
    ...stats,
  },
  mean: encodeMean(mean),
  count: kept.length,
  ids: kept.map((k) => k.id),
  vectors: quantize(kept.map((k) => k.vector)),
};
writeFileSync(out, `${JSON.stringify(file)}\n`);
console.log(JSON.stringify({ out, ...stats }));
