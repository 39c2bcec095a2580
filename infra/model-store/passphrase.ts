import { readFileSync } from 'node:fs';
import { RedlineError } from '../../pipeline/errors.ts';

/**
 * The development passphrase the shipped demo model is encrypted with. It is public (it is in this
 * file), so it protects nothing: a production deployment must set REDLINE_MODEL_KEY or
 * REDLINE_MODEL_KEY_FILE, re-encrypt with `redline model rotate`, and start-up refuses this value
 * when NODE_ENV=production (MODEL_KEY_DEFAULT).
 */
export const DEV_MODEL_PASSPHRASE = 'redline-dev-model-key-not-for-production';

export const MODEL_KEY_ENV = 'REDLINE_MODEL_KEY';
export const MODEL_KEY_FILE_ENV = 'REDLINE_MODEL_KEY_FILE';
export const MODEL_NEW_KEY_ENV = 'REDLINE_MODEL_NEW_KEY';

export interface PassphraseSources {
  /** The environment variable holding the passphrase itself. */
  keyVar?: string;
  /** The environment variable naming a key file. */
  fileVar?: string;
  /** A key file given on the command line (takes the place of fileVar). */
  file?: string | undefined;
  /** Fall back to DEV_MODEL_PASSPHRASE when nothing is set (never in production). */
  allowDefault?: boolean;
  /**
   * Refuse DEV_MODEL_PASSPHRASE under NODE_ENV=production (default true). Only `model rotate`
   * turns this off for the key it decrypts with: re-keying the shipped model away from the
   * development default is exactly what production must do.
   */
  refuseDefaultInProduction?: boolean;
}

/** A key file holds the passphrase; one trailing newline (as `echo` writes) is not part of it. */
export function readKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RedlineError(
      'MODEL_KEY_FILE',
      `cannot read the model key file ${path}: ${(err as Error).message}`,
    );
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.length === 0)
    throw new RedlineError('MODEL_KEY_FILE', `the model key file ${path} is empty`);
  return passphrase;
}

/**
 * The model passphrase, from REDLINE_MODEL_KEY or the file named by REDLINE_MODEL_KEY_FILE (both
 * set is an error: which one wins would be a surprise). Never from the config file. With neither,
 * the documented development default, which is refused under NODE_ENV=production, as is setting
 * the default explicitly.
 */
export function resolveModelPassphrase(
  env: NodeJS.ProcessEnv = process.env,
  sources: PassphraseSources = {},
): string {
  const keyVar = sources.keyVar ?? MODEL_KEY_ENV;
  const fileVar = sources.fileVar ?? MODEL_KEY_FILE_ENV;
  const inline = env[keyVar];
  const file = sources.file ?? env[fileVar];
  if (inline && file) {
    throw new RedlineError('MODEL_KEY_CONFLICT', `set either ${keyVar} or a key file (${fileVar}), not both`);
  }
  let passphrase: string;
  if (inline) passphrase = inline;
  else if (file) passphrase = readKeyFile(file);
  else if (sources.allowDefault ?? true) passphrase = DEV_MODEL_PASSPHRASE;
  else throw new RedlineError('MODEL_KEY_MISSING', `no passphrase: set ${keyVar} or ${fileVar}`);

  const refuse = sources.refuseDefaultInProduction ?? true;
  if (refuse && passphrase === DEV_MODEL_PASSPHRASE && env.NODE_ENV === 'production') {
    throw new RedlineError(
      'MODEL_KEY_DEFAULT',
      `refusing the development model passphrase under NODE_ENV=production: set ${MODEL_KEY_ENV} or ${MODEL_KEY_FILE_ENV} ` +
        'and re-encrypt the model with `redline model rotate`',
    );
  }
  return passphrase;
}
