import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encryptModel, MIN_KDF, openEncryptedModel } from '../../../infra/model-store/index.ts';
import { tinyAddModel } from './tiny-model.ts';

const REPO = resolve(import.meta.dirname, '../../..');
/** Where a careless loader would spill a plaintext model: the temp folder and the repo's data folders. */
const WATCHED = [tmpdir(), join(REPO, '.data'), join(REPO, '.cache'), join(REPO, 'test/artifacts')];
const MAX_SCANNED_BYTES = 64 * 1024 * 1024;

type Snapshot = Map<string, number>;

function snapshot(roots: string[]): Snapshot {
  const files: Snapshot = new Map();
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // missing or unreadable (another process's private folder)
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        try {
          files.set(path, statSync(path).mtimeMs);
        } catch {
          // removed while walking
        }
      }
    }
  };
  for (const root of roots) walk(root);
  return files;
}

/** Files created or modified between two snapshots that contain any of the needles. */
function filesContaining(before: Snapshot, after: Snapshot, needles: Buffer[]): string[] {
  const hits: string[] = [];
  for (const [path, mtime] of after) {
    if (before.get(path) === mtime) continue;
    try {
      if (statSync(path).size > MAX_SCANNED_BYTES) continue;
      const bytes = readFileSync(path);
      if (needles.some((n) => bytes.includes(n))) hits.push(path);
    } catch {
      // removed or unreadable since the snapshot
    }
  }
  return hits;
}

const model = tinyAddModel(8192, Math.random() * 1000);
const plain = Buffer.from(model.bytes);
// Slices from the start, middle and end of the plaintext: any partial spill shows.
const needles = [0.1, 0.5, 0.9].map((at) => {
  const start = Math.floor(plain.length * at);
  return plain.subarray(start, start + 64);
});
const work = mkdtempSync(join(tmpdir(), 'redline-model-store-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('loading an encrypted model writes no plaintext to disk', () => {
  it('the scan finds a plaintext copy when there is one (so it can fail)', () => {
    const before = snapshot([work]);
    writeFileSync(
      join(work, 'decoy.bin'),
      Buffer.concat([Buffer.from('prefix'), plain.subarray(1000, 5000)]),
    );
    expect(filesContaining(before, snapshot([work]), needles).map((p) => p.split('/').pop())).toEqual([
      'decoy.bin',
    ]);
    rmSync(join(work, 'decoy.bin'));
  });

  it('opening from a file path and running the session leaves no new file holding model bytes', async () => {
    const encryptedPath = join(work, 'model.onnx.enc');
    writeFileSync(encryptedPath, await encryptModel(plain, 'disk test passphrase', { kdf: MIN_KDF }));
    const before = snapshot(WATCHED);
    const session = await openEncryptedModel(encryptedPath, 'disk test passphrase');
    const x = new Float32Array(model.constant.length);
    const out = await session.run({ x: new ort.Tensor('float32', x, [x.length]) });
    expect((out.y!.data as Float32Array)[42]).toBeCloseTo(model.constant[42]!, 3);
    await session.release();
    const after = snapshot(WATCHED);
    expect(after.size).toBeGreaterThan(0);
    expect(filesContaining(before, after, needles)).toEqual([]);
  });
});
