import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_MODEL_PASSPHRASE, resolveModelPassphrase } from '../../../infra/model-store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'redline-model-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return (err as { code?: string }).code ?? 'UNCODED';
  }
}

describe('resolveModelPassphrase', () => {
  it('takes REDLINE_MODEL_KEY', () => {
    expect(resolveModelPassphrase({ REDLINE_MODEL_KEY: 's3cret' })).toBe('s3cret');
  });

  it('takes the key file named by REDLINE_MODEL_KEY_FILE, without its trailing newline', () => {
    const file = join(dir, 'key');
    writeFileSync(file, 'from a file\n', { mode: 0o600 });
    expect(resolveModelPassphrase({ REDLINE_MODEL_KEY_FILE: file })).toBe('from a file');
  });

  it('refuses an empty or missing key file, and both sources at once', () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(codeOf(() => resolveModelPassphrase({ REDLINE_MODEL_KEY_FILE: empty }))).toBe('MODEL_KEY_FILE');
    expect(codeOf(() => resolveModelPassphrase({ REDLINE_MODEL_KEY_FILE: join(dir, 'nope') }))).toBe(
      'MODEL_KEY_FILE',
    );
    expect(
      codeOf(() => resolveModelPassphrase({ REDLINE_MODEL_KEY: 'a', REDLINE_MODEL_KEY_FILE: empty })),
    ).toBe('MODEL_KEY_CONFLICT');
  });

  it('falls back to the documented development default outside production', () => {
    expect(resolveModelPassphrase({})).toBe(DEV_MODEL_PASSPHRASE);
    expect(resolveModelPassphrase({ NODE_ENV: 'development' })).toBe(DEV_MODEL_PASSPHRASE);
  });

  it('refuses the development default under NODE_ENV=production, however it arrives', () => {
    expect(codeOf(() => resolveModelPassphrase({ NODE_ENV: 'production' }))).toBe('MODEL_KEY_DEFAULT');
    expect(
      codeOf(() =>
        resolveModelPassphrase({ NODE_ENV: 'production', REDLINE_MODEL_KEY: DEV_MODEL_PASSPHRASE }),
      ),
    ).toBe('MODEL_KEY_DEFAULT');
    const file = join(dir, 'dev-key');
    writeFileSync(file, DEV_MODEL_PASSPHRASE);
    expect(
      codeOf(() => resolveModelPassphrase({ NODE_ENV: 'production', REDLINE_MODEL_KEY_FILE: file })),
    ).toBe('MODEL_KEY_DEFAULT');
    expect(resolveModelPassphrase({ NODE_ENV: 'production', REDLINE_MODEL_KEY: 'a real key' })).toBe(
      'a real key',
    );
  });

  it('can require an explicit key (no default), as rotate does for the new one', () => {
    expect(codeOf(() => resolveModelPassphrase({}, { allowDefault: false }))).toBe('MODEL_KEY_MISSING');
  });
});
