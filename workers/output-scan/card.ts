import type { Detector, Finding } from './finding.ts';
import { luhnValid } from './luhn.ts';

// Card numbers: 13 to 19 digits, optionally grouped with spaces or dashes, that pass the Luhn
// check (no Luhn, no match). A candidate that fails is tried shorter (cut at a group boundary,
// e.g. a card followed by an expiry) and then from its next group (e.g. a card after a number).

const CANDIDATE = /(?<![0-9])(?:[0-9][ -]?){12,18}[0-9](?![0-9])/g;
const SEPARATOR = /[ -]/;

export function cardDetector(): Detector {
  return {
    kind: 'card_number',
    category: 'pii',
    reach: 19 + 18 + 1,
    next(text: string, from: number): Finding | null {
      let at = from;
      for (;;) {
        CANDIDATE.lastIndex = at;
        const m = CANDIDATE.exec(text);
        if (!m) return null;
        const candidate = m[0];
        const end = validPrefixEnd(candidate);
        if (end > 0)
          return { kind: 'card_number', category: 'pii', start: m.index, end: m.index + end, open: false };
        const firstSeparator = candidate.search(SEPARATOR);
        at = m.index + (firstSeparator < 0 ? candidate.length : firstSeparator + 1);
      }
    },
  };
}

/** The longest prefix (the whole, or cut just before a separator) that is a Luhn-valid card; 0 if none. */
function validPrefixEnd(candidate: string): number {
  for (let end = candidate.length; end > 0; end = lastSeparatorBefore(candidate, end)) {
    const digits = candidate.slice(0, end).replace(/[ -]/g, '');
    if (digits.length < 13) return 0;
    if (digits.length <= 19 && luhnValid(digits)) return end;
  }
  return 0;
}

function lastSeparatorBefore(candidate: string, end: number): number {
  for (let i = end - 1; i > 0; i--) if (SEPARATOR.test(candidate[i]!)) return i;
  return 0;
}
