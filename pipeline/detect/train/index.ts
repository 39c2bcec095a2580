import { createHash } from 'node:crypto';
import { DEFAULT_FEATURES, type FeatureConfig, featureBag } from '../features.ts';
import type { DetectorMeta } from '../model-meta.ts';
import { augmentTrain, augmentValidation } from './augment.ts';
import { type LabeledPrompt, readLabeledJsonl, type Split, splitByTemplate, templateKey } from './data.ts';
import { type BinaryMetrics, binaryMetrics } from './metrics.ts';
import { createRng, type Network, score } from './network.ts';
import { exportOnnx } from './onnx-export.ts';
import { DEFAULT_TRAIN, type TrainExample, train } from './trainer.ts';

export interface TrainDetectorOptions {
  dataPath: string;
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
  /** The validation split's overall figures at other thresholds, for the card. */
  validationSweep: Array<{ threshold: number; metrics: BinaryMetrics }>;
  /** Rows per source and label on each side of the split. */
  sources: Array<{ source: string; label: 0 | 1; train: number; validation: number }>;
  trainRows: number;
  augmentedRows: number;
  options: {
    epochs: number;
    dim: number;
    hidden: number;
    featureDropout: number;
    embeddingLr: number;
    denseLr: number;
  };
  seconds: number;
}

function sourceTable(train: LabeledPrompt[], validation: LabeledPrompt[]): TrainDetectorResult['sources'] {
  const m = new Map<string, { source: string; label: 0 | 1; train: number; validation: number }>();
  const add = (r: LabeledPrompt, side: 'train' | 'validation') => {
    const k = `${r.source}\u0000${r.label}`;
    const e = m.get(k) ?? { source: r.source, label: r.label, train: 0, validation: 0 };
    e[side]++;
    m.set(k, e);
  };
  for (const r of train) add(r, 'train');
  for (const r of validation) add(r, 'validation');
  return [...m.values()].sort((a, b) => a.source.localeCompare(b.source) || a.label - b.label);
}

export function evaluate(
  name: string,
  net: Network,
  rows: LabeledPrompt[],
  features: FeatureConfig,
  threshold: number,
): EvaluatedSet {
  const scores = rows.map((r) => score(net, featureBag(r.text, features)));
  const labels = rows.map((r) => r.label);
  const byLanguage: Record<string, BinaryMetrics> = {};
  for (const lang of [...new Set(rows.map((r) => r.lang))].sort()) {
    const idx = rows.flatMap((r, i) => (r.lang === lang ? [i] : []));
    byLanguage[lang] = binaryMetrics(
      idx.map((i) => scores[i]!),
      idx.map((i) => labels[i]!),
      threshold,
    );
  }
  return { name, overall: binaryMetrics(scores, labels, threshold), byLanguage };
}

/** Benign rows weigh this much more than attacks in the loss: a false alarm blocks a real user. */
const BENIGN_WEIGHT = 1.5;

/**
 * Loss weights: a row of a template shared by many rows counts 1/sqrt(group size), so that a
 * template repeated a hundred times is not memorised in place of what makes it an attack; then the
 * classes are balanced (each carries half of the total weight).
 */
function toExamples(rows: LabeledPrompt[], features: FeatureConfig): TrainExample[] {
  const groupSize = new Map<string, number>();
  for (const r of rows) groupSize.set(templateKey(r.text), (groupSize.get(templateKey(r.text)) ?? 0) + 1);
  const raw = rows.map((r) => 1 / Math.sqrt(groupSize.get(templateKey(r.text)) ?? 1));
  const total: [number, number] = [0, 0];
  rows.forEach((r, i) => {
    total[r.label] += raw[i]!;
  });
  const examples: TrainExample[] = rows.map((r, i) => ({
    ...featureBag(r.text, features),
    label: r.label,
    weight:
      ((r.label === 0 ? BENIGN_WEIGHT : 1) * raw[i]! * rows.length) / (2 * Math.max(total[r.label], 1e-9)),
  }));
  // The prior: a text made only of n-grams never seen in training pools to (nearly) zero, and must
  // read as benign. Without these empty bags an unseen language drifts to whichever class had more
  // unusual text (in-the-wild jailbreaks), and ordinary questions in it are flagged.
  const empty = { ids: new Int32Array(0), weights: new Float32Array(0), label: 0 as const, weight: 1 };
  for (let i = 0; i < Math.ceil(rows.length / 50); i++) examples.push(empty);
  return examples;
}

/** The train/validation split training uses for a seed (exported so tests can hold out the same rows). */
export function trainingSplit(rows: LabeledPrompt[], seed: number): Split {
  return splitByTemplate(rows, { fraction: 0.15, jailbenchTemplates: 2, salt: `redline-${seed}` });
}

export function trainDetector(opts: TrainDetectorOptions): TrainDetectorResult {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const features = opts.features ?? DEFAULT_FEATURES;
  const seed = opts.seed ?? DEFAULT_TRAIN.seed;
  const threshold = opts.threshold ?? 0.85;
  const rng = createRng(seed);

  const rows = readLabeledJsonl(opts.dataPath);
  const split = trainingSplit(rows, seed);
  let trainRows = split.train;
  if (opts.subsample !== undefined) {
    const step = Math.max(1, Math.floor(trainRows.length / opts.subsample));
    trainRows = trainRows.filter((_, i) => i % step === 0).slice(0, opts.subsample);
  }
  const augmented = augmentTrain(
    rng,
    {
      perLanguage: opts.subsample !== undefined ? 20 : 150,
      obfuscationRate: 0.25,
    },
    trainRows,
  );
  log(
    `data: ${rows.length} rows → train ${trainRows.length} + ${augmented.length} augmented, validation ${split.validation.length} (JailBench templates held out: ${split.heldOutTemplates.length})`,
  );

  const examples = toExamples([...trainRows, ...augmented], features);
  const trainOptions = {
    ...DEFAULT_TRAIN,
    seed,
    buckets: features.buckets,
    epochs: opts.epochs ?? DEFAULT_TRAIN.epochs,
  };
  const network = train(examples, {
    ...trainOptions,
    onEpoch: (e, loss) => log(`epoch ${e + 1}/${trainOptions.epochs}: mean loss ${loss.toFixed(4)}`),
  });

  const validation = evaluate('validation split', network, split.validation, features, threshold);
  const validationSweep = [0.5, 0.6, 0.7, 0.85, 0.95].map((t) => ({
    threshold: t,
    metrics: evaluate('sweep', network, split.validation, features, t).overall,
  }));
  const heldOutPhrasings = evaluate(
    'held-out phrasings',
    network,
    augmentValidation(rng),
    features,
    threshold,
  );
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
    validationSweep,
    sources: sourceTable(trainRows, split.validation),
    trainRows: trainRows.length,
    augmentedRows: augmented.length,
    options: {
      epochs: trainOptions.epochs,
      dim: trainOptions.dim,
      hidden: trainOptions.hidden,
      featureDropout: trainOptions.featureDropout,
      embeddingLr: trainOptions.embeddingLr,
      denseLr: trainOptions.denseLr,
    },
    seconds,
  };
  return result;
}
