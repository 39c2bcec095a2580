import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { registerModelCrypto } from '../../infra/model-store/cli.ts';
import { resolveModelPassphrase } from '../../infra/model-store/index.ts';
import { CACHE_DIR, REPO_ROOT } from '../../infra/paths.ts';
import { writeDetectorArtifacts } from '../../pipeline/detect/train/artifacts.ts';
import { trainDetector } from '../../pipeline/detect/train/index.ts';

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

interface TrainFlags {
  data: string;
  out?: string;
  seed?: number;
  epochs?: number;
  subsample?: number;
  plain?: boolean;
}

export function register(program: Command): void {
  const model = program
    .command('model')
    .description('train the injection detector; encrypt and rotate model files');
  model
    .command('train')
    .description(
      'train the prompt-injection classifier (fixed seed), export it to ONNX, and write the model, detector.json and MODEL_CARD.md',
    )
    .option(
      '--data <file>',
      'labelled prompts, JSONL {"text","label"}',
      join(REPO_ROOT, '..', 'shared/data/prompts/train.jsonl'),
    )
    .option(
      '--out <dir>',
      'output folder (default: pipeline/detect/model, or .cache/detect-train-check with --subsample)',
    )
    .option('--seed <n>', 'random seed (default: the one the shipped model used)', positiveInt)
    .option('--epochs <n>', 'training epochs', positiveInt)
    .option(
      '--subsample <n>',
      'train on n rows of the training side only: a quick check that training still runs',
      positiveInt,
    )
    .option('--plain', 'write a plain detector.onnx instead of the encrypted detector.onnx.enc')
    .addHelpText(
      'after',
      `
The encrypted model uses the passphrase from REDLINE_MODEL_KEY or REDLINE_MODEL_KEY_FILE, or the
documented development default (refused under NODE_ENV=production). A full run takes a minute or
two on one core; the validation figures are printed and written to MODEL_CARD.md.`,
    )
    .action(async (flags: TrainFlags) => {
      const out = resolve(
        flags.out ??
          (flags.subsample
            ? join(CACHE_DIR, 'detect-train-check')
            : join(REPO_ROOT, 'pipeline/detect/model')),
      );
      const passphrase = flags.plain ? null : resolveModelPassphrase(process.env);
      const result = trainDetector({
        dataPath: resolve(flags.data),
        seed: flags.seed,
        epochs: flags.epochs,
        subsample: flags.subsample,
        log: (line) => console.error(line),
      });
      const written = await writeDetectorArtifacts(result, out, passphrase);
      const v = result.validation.overall;
      console.log(
        `validation: F1 ${v.f1.toFixed(3)}, FPR ${(100 * v.fpr).toFixed(2)}%, precision ${v.precision.toFixed(3)}, recall ${v.recall.toFixed(3)} at threshold ${result.meta.threshold} (${v.n} rows)`,
      );
      console.log(
        `model ${result.meta.version} written to ${written.model} (${result.seconds.toFixed(0)} s)`,
      );
    });

  registerModelCrypto(model);
}
