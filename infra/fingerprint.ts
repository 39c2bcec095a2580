import { createHash } from 'node:crypto';

/** What logs carry instead of a secret or a prompt: a short hash and the length. */
export function fingerprint(text: string | null | undefined): { sha256: string; length: number } {
  const value = text ?? '';
  return { sha256: createHash('sha256').update(value).digest('hex').slice(0, 16), length: value.length };
}
