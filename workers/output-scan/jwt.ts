import type { Detector, Finding } from './finding.ts';

// JSON Web Tokens: three base64url segments, the first a JSON header (`eyJ` is `{"` encoded).
// Long (kilobytes), so instead of a fixed hold-back the streaming scanner asks where an unfinished
// token starts: a run of token characters reaching the end of the text that begins with `eyJ`.

const SEGMENT_CHARS = /[A-Za-z0-9_-]/;
const TOKEN_CHARS = /[A-Za-z0-9_.-]/;
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{0,4096}/g;
/** Longest possible match: nothing further back can still be an unfinished token. */
const MAX_LENGTH = 3 + 4096 + 1 + 8192 + 1 + 4096;

export function jwtDetector(): Detector {
  return {
    kind: 'jwt',
    category: 'secret',
    reach: Number.POSITIVE_INFINITY,
    next(text: string, from: number): Finding | null {
      JWT.lastIndex = from;
      const m = JWT.exec(text);
      return m
        ? { kind: 'jwt', category: 'secret', start: m.index, end: m.index + m[0].length, open: false }
        : null;
    },
    pendingStart(text: string, from: number): number {
      const floor = Math.max(from, text.length - MAX_LENGTH);
      let runStart = text.length;
      while (runStart > floor && TOKEN_CHARS.test(text[runStart - 1]!)) runStart--;
      for (let i = text.indexOf('eyJ', runStart); i >= 0; i = text.indexOf('eyJ', i + 1)) {
        if (i === 0 || !SEGMENT_CHARS.test(text[i - 1]!)) return i;
      }
      // A run ending in `e` or `ey` may become `eyJ`: the fixed hold-back covers that.
      return -1;
    },
  };
}
