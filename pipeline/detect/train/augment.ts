import type { LabeledPrompt } from './data.ts';
import { OBFUSCATIONS, obfuscate } from './obfuscate.ts';
import { ENGLISH_HARD_NEGATIVES, englishOverride, englishRolePlay } from './paraphrase.ts';
import { type LanguagePhrases, PHRASES } from './phrases.ts';

// Synthetic examples for generalisation beyond the training file: multilingual overrides and
// persona jailbreaks (also hidden after an innocent task, as indirect injections do), obfuscated
// attacks, and benign prompts in the same languages, including hard negatives, so that neither a
// language nor a trigger word alone predicts the label.

const pick = <T>(a: readonly T[], rng: () => number): T => a[Math.floor(rng() * a.length)];
const HELD_OUT_HARD_NEGATIVES = 6;

type Side = 'train' | 'validation';

/** Training side: every item but the last of each list; validation side: only the last. */
function view(p: LanguagePhrases, side: Side): LanguagePhrases {
  const cut = <T>(a: T[]) => (side === 'train' ? a.slice(0, -1) : a.slice(-1));
  return {
    ...p,
    overrides: cut(p.overrides),
    personas: cut(p.personas),
    requests: cut(p.requests),
    hardNegatives: cut(p.hardNegatives),
  };
}

const request = (p: LanguagePhrases, rng: () => number) => pick(p.requests, rng).replace('{t}', pick(p.topics, rng));

function attack(p: LanguagePhrases, rng: () => number): string {
  const r = rng();
  if (r < 0.35) return `${pick(p.overrides, rng)} ${pick(p.goals, rng)}`;
  if (r < 0.55) return `${pick(p.personas, rng)} ${pick(p.goals, rng)}`;
  if (r < 0.8) return `${request(p, rng)} ${pick(p.overrides, rng)} ${pick(p.goals, rng)}`;
  if (r < 0.9) return pick(p.overrides, rng);
  return `${pick(p.overrides, rng)} ${pick(PHRASES[0].goals, rng)}`;
}

function benign(p: LanguagePhrases, rng: () => number): string {
  const r = rng();
  if (r < 0.4) return request(p, rng);
  if (r < 0.7) return pick(p.hardNegatives, rng);
  if (r < 0.85) return `${request(p, rng)} ${pick(p.hardNegatives, rng)}`;
  return `${pick(p.hardNegatives, rng)} ${request(p, rng)}`;
}

function row(text: string, label: 0 | 1, lang: string, source: string): LabeledPrompt {
  return { text, label, lang, source };
}

export interface AugmentOptions {
  perLanguage: number;
  obfuscationRate: number;
}

export function augmentTrain(rng: () => number, opts: AugmentOptions): LabeledPrompt[] {
  const out: LabeledPrompt[] = [];
  for (const full of PHRASES) {
    const p = view(full, 'train');
    for (let i = 0; i < opts.perLanguage; i++) {
      let a = attack(p, rng);
      if (rng() < opts.obfuscationRate) a = obfuscate(a, pick(OBFUSCATIONS, rng), rng);
      out.push(row(a, 1, p.lang, 'aug-multilingual'));
      out.push(row(benign(p, rng), 0, p.lang, 'aug-multilingual'));
    }
  }
  const trainNegatives = ENGLISH_HARD_NEGATIVES.slice(0, -HELD_OUT_HARD_NEGATIVES);
  for (let i = 0; i < opts.perLanguage * 2; i++) {
    let a = rng() < 0.6 ? englishOverride(rng) : englishRolePlay(rng);
    if (rng() < opts.obfuscationRate) a = obfuscate(a, pick(OBFUSCATIONS, rng), rng);
    out.push(row(a, 1, 'en', 'aug-paraphrase'));
    const n = pick(trainNegatives, rng);
    out.push(row(rng() < 0.5 ? n : `${n} ${request(PHRASES[0], rng)}`, 0, 'en', 'aug-hard-negative'));
  }
  return out;
}

/** Held-out phrasings only (never seen in training), for per-language validation figures. */
export function augmentValidation(rng: () => number): LabeledPrompt[] {
  const out: LabeledPrompt[] = [];
  for (const full of PHRASES) {
    const p = view(full, 'validation');
    for (const g of p.goals) {
      out.push(row(`${p.overrides[0]} ${g}`, 1, p.lang, 'aug-heldout'));
      out.push(row(`${p.personas[0]} ${g}`, 1, p.lang, 'aug-heldout'));
    }
    out.push(row(obfuscate(`${p.overrides[0]} ${p.goals[0]}`, 'homoglyph', rng), 1, p.lang, 'aug-heldout'));
    out.push(row(obfuscate(`${p.overrides[0]} ${p.goals[1]}`, 'spacing', rng), 1, p.lang, 'aug-heldout'));
    for (const t of p.topics) out.push(row(p.requests[0].replace('{t}', t), 0, p.lang, 'aug-heldout'));
    out.push(row(p.hardNegatives[0], 0, p.lang, 'aug-heldout'));
    out.push(row(`${p.hardNegatives[0]} ${p.requests[0].replace('{t}', p.topics[0])}`, 0, p.lang, 'aug-heldout'));
  }
  for (const n of ENGLISH_HARD_NEGATIVES.slice(-HELD_OUT_HARD_NEGATIVES))
    out.push(row(n, 0, 'en', 'aug-heldout'));
  return out;
}
