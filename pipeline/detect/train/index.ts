import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FEATURES, type FeatureConfig, featureIds } from '../features.ts';
import type { DetectorMeta } from '../model-meta.ts';
import { augmentTrain, augmentValidation } from './augment.ts';
import { writeModelCard } from './card.ts';
import { type LabeledPrompt, readLabeledJsonl, splitByTemplate } from './data.ts';
import { type BinaryMetrics, binaryMetrics } from './metrics.ts';
import { createRng, type Network, score } from './network.ts';
import { exportOnnx } from './onnx-export.ts';
import { DEFAULT_TRAIN, type TrainExample, train } from './trainer.ts';

export interface TrainDetectorOptions {
  dataPath: string;
  /** Folder for detector.onnx, detector.json and MODEL_CARD.md. */
  outDir: string;
  seed?: number;
  epochs?: number;
  /** Train on this many rows of the training side only (CI smoke check). */
  subsample?: number;
  threshold?: number;
  features?: FeatureConfig;
  log?: (line: string) => void;
}

export interface EvaluatedSet {
  name: string;
  overall: BinaryMetrics;
  byLanguage: Record<string, BinaryMetrics>;
}

export interface TrainDetectorResult {
  meta: DetectorMeta;
  onnx: Uint8Array;
  network: Network;
  validation: EvaluatedSet;
  heldOutPhrasings: EvaluatedSet;
  heldOutTemplates: string[];
  trainRows: number;
  seconds: number;
}

export function evaluate(
  name: string,
  net: Network,
  rows: LabeledPrompt[],
  features: FeatureConfig,
  threshold: number,
): EvaluatedSet {
  const scores = rows.map((r) => score(net, featureIds(r.text, features)));
  const labels = rows.map((r) => r.label);
  const byLanguage: Record<string, BinaryMetrics> = {};
  for (const lang of [...new Set(rows.map((r) => r.lang))].sort()) {
    const idx = rows.flatMap((r, i) => (r.lang === lang ? [i] : []));
    byLanguage[lang] = binaryMetrics(
      idx.map((i) => scores[i]),
      idx.map((i) => labels[i]),
      threshold,
    );
  }
  return { name, overall: binaryMetrics(scores, labels, threshold), byLanguage };
}

/** Balances the classes: each class carries half of the total loss weight. */
function toExamples(rows: LabeledPrompt[], features: FeatureConfig): TrainExample[] {
  const pos = rows.filter((r) => r.label === 1).length;
  const neg = rows.length - pos;
  return rows.map((r) => ({
    ids: featureIds(r.text, features),
    label: r.label,
    weight: r.label === 1 ? rows.length / (2 * Math.max(pos, 1)) : rows.length / (2 * Math.max(neg, 1)),
  }));
}

export function trainDetector(opts: TrainDetectorOptions): TrainDetectorResult {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const features = opts.features ?? DEFAULT_FEATURES;
  const seed = opts.seed ?? DEFAULT_TRAIN.seed;
  const threshold = opts.threshold ?? 0.85;
  const rng = createRng(seed);

  const rows = readLabeledJsonl(opts.dataPath);
  const split = splitByTemplate(rows, { fraction: 0.15, jailbenchTemplates: 2, salt: `redline-${seed}` });
  let trainRows = split.train;
  if (opts.subsample !== undefined) {
    const step = Math.max(1, Math.floor(trainRows.length / opts.subsample));
    trainRows = trainRows.filter((_, i) => i % step === 0).slice(0, opts.subsample);
  }
  const augmented = augmentTrain(rng, {
    perLanguage: opts.subsample !== undefined ? 20 : 150,
    obfuscationRate: 0.25,
  });
  log(
    `data: ${rows.length} rows → train ${trainRows.length} + ${augmented.length} augmented, validation ${split.validation.length} (JailBench templates held out: ${split.heldOutTemplates.length})`,
  );

  const examples = toExamples([...trainRows, ...augmented], features);
  const network = train(examples, {
    ...DEFAULT_TRAIN,
    seed,
    buckets: features.buckets,
    epochs: opts.epochs ?? DEFAULT_TRAIN.epochs,
    ...(process.env.DET_DROP ? { featureDropout: Number(process.env.DET_DROP) } : {}),
    ...(process.env.DET_DIM ? { dim: Number(process.env.DET_DIM) } : {}),
    ...(process.env.DET_ELR ? { embeddingLr: Number(process.env.DET_ELR) } : {}),
    onEpoch: (e, loss) => log(`epoch ${e + 1}: mean loss ${loss.toFixed(4)}`),
  });

  const validation = evaluate('validation split', network, split.validation, features, threshold);
  const heldOutPhrasings = evaluate('held-out phrasings', network, augmentValidation(rng), features, threshold);
  const onnx = exportOnnx(network, 'redline prompt-injection detector');
  const meta: DetectorMeta = {
    version: `detector-${createHash('sha256').update(onnx).digest('hex').slice(0, 12)}`,
    features,
    shape: { buckets: network.buckets, dim: network.dim, hidden: network.hidden },
    threshold,
    training: {
      seed,
      data: 'shared/data/prompts/train.jsonl',
      rows: trainRows.length,
      augmented: augmented.length,
      subsample: opts.subsample ?? null,
    },
  };
  const seconds = (performance.now() - started) / 1000;
  const result: TrainDetectorResult = {
    meta,
    onnx,
    network,
    validation,
    heldOutPhrasings,
    heldOutTemplates: split.heldOutTemplates,
    trainRows: trainRows.length,
    seconds,
  };
  mkdirSync(opts.outDir, { recursive: true });
  writeFileSync(join(opts.outDir, 'detector.onnx'), onnx);
  writeFileSync(join(opts.outDir, 'detector.json'), `${JSON.stringify(meta, null, 2)}\n`);
  writeFileSync(join(opts.outDir, 'MODEL_CARD.md'), writeModelCard(result));
  return result;
}
