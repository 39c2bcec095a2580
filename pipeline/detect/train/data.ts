import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RedlineError } from '../../errors.ts';

export interface LabeledPrompt {
  text: string;
  label: 0 | 1;
  source: string;
  lang: string;
}

export function readLabeledJsonl(path: string): LabeledPrompt[] {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RedlineError('TRAIN_DATA', `cannot read training data at ${path}`, { cause: err });
  }
  const rows: LabeledPrompt[] = [];
  for (const [i, line] of raw.split('\n').entries()) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Partial<LabeledPrompt>;
    if (typeof r.text !== 'string' || (r.label !== 0 && r.label !== 1))
      throw new RedlineError('TRAIN_DATA', `line ${i + 1}: expected {"text", "label": 0|1}`);
    rows.push({ text: r.text, label: r.label, source: r.source ?? 'unknown', lang: r.lang ?? 'other' });
  }
  return rows;
}

/**
 * Rows that share a template share a group, so that no template sits on both sides of the split:
 * JailBench (and the in-the-wild jailbreaks, and JailbreakBench's random-search prompts) reuse one
 * role-play preamble with a different question appended, so the normalised first 30 characters
 * name the template.
 */
export function templateKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim().slice(0, 30);
}

function hashFraction(s: string, salt: string): number {
  return createHash('sha256').update(`${salt}:${s}`).digest().readUInt32BE(0) / 2 ** 32;
}

export interface Split {
  train: LabeledPrompt[];
  validation: LabeledPrompt[];
  /** JailBench templates held out for validation. */
  heldOutTemplates: string[];
}

/**
 * Group split: JailBench's templates are ranked by a salted hash and the first `jailbenchTemplates`
 * go to validation whole; every other row goes with its template group by hash, `fraction` of groups.
 */
export function splitByTemplate(
  rows: LabeledPrompt[],
  opts: { fraction: number; jailbenchTemplates: number; salt: string },
): Split {
  const jbTemplates = [
    ...new Set(rows.filter((r) => r.source === 'jailbench').map((r) => templateKey(r.text))),
  ]
    .sort((a, b) => hashFraction(a, opts.salt) - hashFraction(b, opts.salt))
    .slice(0, opts.jailbenchTemplates);
  const heldOut = new Set(jbTemplates);
  const train: LabeledPrompt[] = [];
  const validation: LabeledPrompt[] = [];
  for (const r of rows) {
    const key = templateKey(r.text);
    const toValidation =
      r.source === 'jailbench' ? heldOut.has(key) : hashFraction(key, opts.salt) < opts.fraction;
    (toValidation ? validation : train).push(r);
  }
  return { train, validation, heldOutTemplates: jbTemplates };
}
