import type { Category, Detector, Finding, RedactionKind } from './finding.ts';

// Detectors built from one JavaScript regex (V8's backtracking engine, not re2-wasm). Linear time
// by construction rather than by engine: every quantifier is bounded, alternatives and repeated
// groups are separated by characters they cannot share (so backtracking at one start position is
// bounded by a constant), and a one-char lookbehind lets an attempt fail at once inside a run of
// token characters. The cost is then
// O(text length x a constant). (re2-wasm was measured and rejected: it copies the whole input into
// WebAssembly on every exec, which makes a scan with many matches quadratic, and reports code-point
// rather than UTF-16 indices; bench/output-scan.bench.ts has the figures.) E-mail, private keys
// and canaries are found with indexOf instead (email.ts, private-key.ts, canary.ts).

export interface RegexDetectorSpec {
  kind: RedactionKind;
  category: Category;
  /** Must have the `g` flag; matched from `lastIndex`. */
  regex: RegExp;
  /** Longest match plus lookahead, in characters. */
  reach: number;
  /** Rejects shapes the regex alone cannot rule out (e.g. words that look like a key). */
  accept?: (match: string) => boolean;
}

export function regexDetector(spec: RegexDetectorSpec): Detector {
  const { kind, category, regex, reach, accept } = spec;
  if (!regex.global) throw new Error(`detector ${kind}: the regex needs the g flag`);
  return {
    kind,
    category,
    reach,
    next(text: string, from: number): Finding | null {
      regex.lastIndex = from;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        if (!accept || accept(m[0]))
          return { kind, category, start: m.index, end: m.index + m[0].length, open: false };
        // Rejected: the next attempt starts one character further (matches may not nest otherwise).
        regex.lastIndex = m.index + 1;
      }
      return null;
    },
  };
}
