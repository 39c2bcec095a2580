import type { Detector, Finding } from './finding.ts';

// PEM private key blocks, from the BEGIN line to the END line. Hand-written with indexOf rather
// than one regex: a lazy `[\s\S]*?` up to the END line would rescan the rest of the text from
// every BEGIN. A BEGIN with no END yet is an open finding running to the end of the text: the
// streaming scanner holds it back, and a final scan redacts it to the end (a truncated key is
// still a leak).

const HEADER = /-----BEGIN (?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY(?: BLOCK)?-----/y;
const FOOTER = /-----END (?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY(?: BLOCK)?-----/y;

export function privateKeyDetector(): Detector {
  const next = (text: string, from: number): Finding | null => {
    for (let i = text.indexOf('-----BEGIN ', from); i >= 0; i = text.indexOf('-----BEGIN ', i + 1)) {
      HEADER.lastIndex = i;
      if (!HEADER.test(text)) continue;
      for (
        let j = text.indexOf('-----END ', HEADER.lastIndex);
        j >= 0;
        j = text.indexOf('-----END ', j + 1)
      ) {
        FOOTER.lastIndex = j;
        if (FOOTER.test(text)) return finding(i, FOOTER.lastIndex, false);
      }
      return finding(i, text.length, true);
    }
    return null;
  };
  return {
    kind: 'private_key',
    category: 'secret',
    reach: Number.POSITIVE_INFINITY,
    next,
    pendingStart(text: string, from: number): number {
      for (let f = next(text, from); f; f = next(text, f.end)) if (f.open) return f.start;
      return -1;
    },
  };
}

function finding(start: number, end: number, open: boolean): Finding {
  return { kind: 'private_key', category: 'secret', start, end, open };
}
