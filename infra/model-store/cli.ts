import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import sodium from 'sodium-native';
import { RedlineError } from '../../pipeline/errors.ts';
import { decryptModelToSecureBuffer } from './decrypt.ts';
import { encryptModel } from './encrypt.ts';
import { parseHeader } from './format.ts';
import { DEFAULT_KDF, KDF_PROFILES, type KdfParams, type KdfProfile } from './kdf.ts';
import {
  MODEL_KEY_ENV,
  MODEL_KEY_FILE_ENV,
  MODEL_NEW_KEY_ENV,
  resolveModelPassphrase,
} from './passphrase.ts';

// `redline model encrypt|rotate|inspect`. The detect area owns `bin/commands/model.ts` and calls
// registerModelCrypto on its `model` command. Passphrases come from the environment or key files,
// never from flags (they would land in shell history and `ps`) and never from the config file.

const KEY_HELP = `
Passphrase sources (never the config file, never a flag):
  current passphrase  $${MODEL_KEY_ENV}, or the file named by --key-file / $${MODEL_KEY_FILE_ENV}
                      (neither set: the documented development default, refused when NODE_ENV=production)
  new passphrase      $${MODEL_NEW_KEY_ENV}, or --new-key-file / $REDLINE_MODEL_NEW_KEY_FILE (rotate only)
Key derivation profiles (Argon2id; stored in the file's header):
${Object.entries(KDF_PROFILES)
  .map(([name, p]) => `  ${name.padEnd(12)} ${p.opslimit} passes, ${p.memlimitBytes / 2 ** 20} MiB`)
  .join('\n')}
  encrypt uses moderate (the production default); rotate keeps the input file's parameters.
  "minimum" is the floor any file may use.`;

const kdfOption = (description: string) =>
  new Option('--kdf <profile>', description).choices(Object.keys(KDF_PROFILES));

function describeKdf(kdf: KdfParams): string {
  return `Argon2id ${kdf.opslimit} passes, ${kdf.memlimitBytes / 2 ** 20} MiB`;
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new RedlineError('MODEL_NOT_FOUND', `cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves a half-written model. */
async function writeOutput(
  path: string,
  bytes: Uint8Array,
  force: boolean,
  sameAsInput = false,
): Promise<void> {
  if (!force && !sameAsInput && existsSync(path)) {
    throw new RedlineError('MODEL_OUTPUT_EXISTS', `${path} exists (use --force to overwrite)`);
  }
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temporary, bytes, { mode: 0o644 });
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw new RedlineError('MODEL_WRITE', `cannot write ${path}: ${(err as Error).message}`);
  }
}

interface EncryptFlags {
  in: string;
  out: string;
  keyFile?: string;
  kdf?: KdfProfile;
  force?: boolean;
}

interface RotateFlags extends EncryptFlags {
  newKeyFile?: string;
}

export function registerModelCrypto(modelCmd: Command, env: NodeJS.ProcessEnv = process.env): void {
  modelCmd
    .command('encrypt')
    .description('encrypt an ONNX model at rest (AES-256-GCM, key from the passphrase via Argon2id)')
    .requiredOption('--in <file>', 'plaintext ONNX model')
    .requiredOption('--out <file>', 'encrypted model to write (e.g. model.onnx.enc)')
    .option('--key-file <file>', `file holding the passphrase (instead of $${MODEL_KEY_ENV})`)
    .addOption(kdfOption('Argon2id parameter profile (default: moderate)'))
    .option('--force', 'overwrite --out if it exists')
    .addHelpText('after', KEY_HELP)
    .action(async (flags: EncryptFlags) => {
      const passphrase = resolveModelPassphrase(env, { file: flags.keyFile });
      const kdf = flags.kdf ? KDF_PROFILES[flags.kdf] : DEFAULT_KDF;
      const plain = await readInput(flags.in);
      const encrypted = await encryptModel(plain, passphrase, { kdf });
      await writeOutput(flags.out, encrypted, flags.force ?? false);
      console.log(`encrypted ${flags.in} (${plain.length} bytes) to ${flags.out} (${describeKdf(kdf)})`);
    });

  modelCmd
    .command('rotate')
    .description('re-encrypt an encrypted model under a new passphrase (fresh salt and nonce)')
    .requiredOption('--in <file>', 'encrypted model (current passphrase)')
    .requiredOption('--out <file>', 'encrypted model to write (new passphrase; may equal --in)')
    .option('--key-file <file>', `file holding the current passphrase (instead of $${MODEL_KEY_ENV})`)
    .option('--new-key-file <file>', `file holding the new passphrase (instead of $${MODEL_NEW_KEY_ENV})`)
    .addOption(kdfOption("Argon2id parameter profile (default: the input file's parameters)"))
    .option('--force', 'overwrite --out if it exists')
    .addHelpText('after', KEY_HELP)
    .action(async (flags: RotateFlags) => {
      const oldPassphrase = resolveModelPassphrase(env, {
        file: flags.keyFile,
        refuseDefaultInProduction: false,
      });
      const newPassphrase = resolveModelPassphrase(env, {
        keyVar: MODEL_NEW_KEY_ENV,
        fileVar: 'REDLINE_MODEL_NEW_KEY_FILE',
        file: flags.newKeyFile,
        allowDefault: false,
      });
      if (newPassphrase === oldPassphrase) {
        throw new RedlineError('MODEL_KEY_UNCHANGED', 'the new passphrase equals the current one');
      }
      const file = await readInput(flags.in);
      const kdf = flags.kdf ? KDF_PROFILES[flags.kdf] : parseHeader(file).kdf;
      const plain = await decryptModelToSecureBuffer(file, oldPassphrase);
      let encrypted: Buffer;
      try {
        encrypted = await encryptModel(plain, newPassphrase, { kdf });
      } finally {
        sodium.sodium_memzero(plain);
        sodium.sodium_free(plain);
      }
      await writeOutput(flags.out, encrypted, flags.force ?? false, resolve(flags.out) === resolve(flags.in));
      console.log(`re-encrypted ${flags.in} to ${flags.out} under the new passphrase (${describeKdf(kdf)})`);
    });

  modelCmd
    .command('inspect')
    .description("print an encrypted model's header (format version, KDF parameters, sizes); needs no key")
    .argument('<file>', 'encrypted model')
    .action(async (path: string) => {
      const file = await readInput(path);
      const header = parseHeader(file);
      console.log(
        JSON.stringify(
          {
            format: header.version,
            cipher: 'AES-256-GCM',
            kdf: {
              algorithm: 'Argon2id',
              opslimit: header.kdf.opslimit,
              memlimitBytes: header.kdf.memlimitBytes,
            },
            modelBytes: header.plaintextLength,
            fileBytes: file.length,
          },
          null,
          2,
        ),
      );
    });
}
