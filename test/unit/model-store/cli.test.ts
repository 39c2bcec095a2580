import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerModelCrypto } from '../../../infra/model-store/cli.ts';
import {
  DEV_MODEL_PASSPHRASE,
  decryptModelToSecureBuffer,
  MIN_KDF,
  parseHeader,
} from '../../../infra/model-store/index.ts';
import { tinyAddModel } from './tiny-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'redline-model-cli-'));
const plainPath = join(dir, 'model.onnx');
const model = tinyAddModel(256);
writeFileSync(plainPath, model.bytes);

afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const program = new Command('redline').exitOverride();
  registerModelCrypto(program.command('model').exitOverride(), env);
  await program.parseAsync(['model', ...args], { from: 'user' });
  return lines.join('\n');
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (err) {
    return (err as { code?: string }).code ?? 'UNCODED';
  }
}

describe('redline model encrypt | rotate | inspect', () => {
  const encPath = join(dir, 'model.onnx.enc');
  const rotatedPath = join(dir, 'rotated.onnx.enc');

  it('encrypts with the passphrase from the environment; the file opens with it', async () => {
    const out = await run({ REDLINE_MODEL_KEY: 'old key' }, [
      'encrypt',
      '--in',
      plainPath,
      '--out',
      encPath,
      '--kdf',
      'minimum',
    ]);
    expect(out).toContain('Argon2id 2 passes, 19 MiB');
    expect(out).not.toContain('old key');
    const file = readFileSync(encPath);
    expect(parseHeader(file).kdf).toEqual(MIN_KDF);
    const plain = await decryptModelToSecureBuffer(file, 'old key');
    expect(Buffer.from(plain).equals(Buffer.from(model.bytes))).toBe(true);
  });

  it('refuses to overwrite an existing output without --force', async () => {
    const args = ['encrypt', '--in', plainPath, '--out', encPath, '--kdf', 'minimum'];
    expect(await codeOf(run({ REDLINE_MODEL_KEY: 'old key' }, args))).toBe('MODEL_OUTPUT_EXISTS');
  });

  it('rotates to the new passphrase from a key file, keeping the KDF parameters; the old one stops working', async () => {
    const newKeyFile = join(dir, 'new.key');
    writeFileSync(newKeyFile, 'new key\n', { mode: 0o600 });
    await run({ REDLINE_MODEL_KEY: 'old key' }, [
      'rotate',
      '--in',
      encPath,
      '--out',
      rotatedPath,
      '--new-key-file',
      newKeyFile,
    ]);
    const rotated = readFileSync(rotatedPath);
    expect(parseHeader(rotated).kdf).toEqual(MIN_KDF);
    expect(rotated.subarray(56, 72).equals(readFileSync(encPath).subarray(56, 72))).toBe(false); // fresh salt
    expect(
      Buffer.from(await decryptModelToSecureBuffer(rotated, 'new key')).equals(Buffer.from(model.bytes)),
    ).toBe(true);
    expect(await codeOf(decryptModelToSecureBuffer(rotated, 'old key'))).toBe('MODEL_KEY');
  });

  it('rotate needs an explicit new passphrase that differs, and the right old one', async () => {
    const args = ['rotate', '--in', encPath, '--out', join(dir, 'x.enc')];
    expect(await codeOf(run({ REDLINE_MODEL_KEY: 'old key' }, args))).toBe('MODEL_KEY_MISSING');
    expect(await codeOf(run({ REDLINE_MODEL_KEY: 'old key', REDLINE_MODEL_NEW_KEY: 'old key' }, args))).toBe(
      'MODEL_KEY_UNCHANGED',
    );
    expect(await codeOf(run({ REDLINE_MODEL_KEY: 'wrong', REDLINE_MODEL_NEW_KEY: 'n' }, args))).toBe(
      'MODEL_KEY',
    );
    expect(existsSync(join(dir, 'x.enc'))).toBe(false);
  });

  it('rotates in place (same --in and --out) through a temporary file', async () => {
    await run({ REDLINE_MODEL_KEY: 'new key', REDLINE_MODEL_NEW_KEY: 'newer key' }, [
      'rotate',
      '--in',
      rotatedPath,
      '--out',
      rotatedPath,
    ]);
    const plain = await decryptModelToSecureBuffer(readFileSync(rotatedPath), 'newer key');
    expect(plain.length).toBe(model.bytes.length);
  });

  it('under NODE_ENV=production refuses to encrypt with the development default, but rotates away from it', async () => {
    const devEncrypted = join(dir, 'dev.onnx.enc');
    await run({}, ['encrypt', '--in', plainPath, '--out', devEncrypted, '--kdf', 'minimum']);
    const production = { NODE_ENV: 'production' };
    const again = ['encrypt', '--in', plainPath, '--out', join(dir, 'p.enc'), '--kdf', 'minimum'];
    expect(await codeOf(run(production, again))).toBe('MODEL_KEY_DEFAULT');
    const toDefault = ['rotate', '--in', encPath, '--out', join(dir, 'p.enc')];
    expect(
      await codeOf(
        run(
          { ...production, REDLINE_MODEL_KEY: 'old key', REDLINE_MODEL_NEW_KEY: DEV_MODEL_PASSPHRASE },
          toDefault,
        ),
      ),
    ).toBe('MODEL_KEY_DEFAULT');
    const rekeyed = join(dir, 'rekeyed.onnx.enc');
    await run({ ...production, REDLINE_MODEL_NEW_KEY: 'production key' }, [
      'rotate',
      '--in',
      devEncrypted,
      '--out',
      rekeyed,
    ]);
    const plain = await decryptModelToSecureBuffer(readFileSync(rekeyed), 'production key');
    expect(plain.length).toBe(model.bytes.length);
  });

  it('inspect prints the header without a key', async () => {
    const info = JSON.parse(await run({}, ['inspect', encPath]));
    expect(info).toMatchObject({ format: 1, kdf: { algorithm: 'Argon2id', opslimit: 2 } });
    expect(info.modelBytes).toBe(model.bytes.length);
  });
});
