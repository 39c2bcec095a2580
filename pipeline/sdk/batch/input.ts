import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RedlineError } from '../../errors.ts';
import { splitInputLines } from './lines.ts';

export interface BatchInput {
  /** Absolute path. */
  path: string;
  /** SHA-256 of the file's bytes (hex). */
  hash: string;
  lines: string[];
}

/**
 * Reads the whole input file. Held in memory on purpose: the hash that guards a resume needs a
 * full pass anyway, and a resume needs random access to the unsent tail.
 */
export async function readBatchInput(path: string): Promise<BatchInput> {
  const abs = resolve(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    throw new RedlineError(
      'BATCH_INPUT_UNREADABLE',
      `cannot read ${abs}: ${(err as NodeJS.ErrnoException).code}`,
    );
  }
  return {
    path: abs,
    hash: createHash('sha256').update(bytes).digest('hex'),
    lines: splitInputLines(bytes.toString('utf8')),
  };
}

/** A new batch id: time-ordered and short, so request ids (`<batchId>-<index>`) stay readable. */
export function newBatchId(now: number = Date.now()): string {
  return `b${now.toString(36)}${randomBytes(4).toString('hex')}`;
}
