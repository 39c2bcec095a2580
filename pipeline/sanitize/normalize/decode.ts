import type { Finding } from '../../../schemas/types.ts';
import { FINDING, finding } from '../findings.ts';

// Instructions hidden in encodings: base64, hex, URL-encoding, leetspeak. Each decoded layer is
// handed to the rules and the fingerprints beside the text itself. Layers are decoded again (a
// base64 of a hex of ...) up to a depth; deeper nesting, or too many layers, is ENCODING_ABUSE,
// since no benign prompt needs it.

export type LayerKind = 'base64' | 'hex' | 'url' | 'leet';

export interface DecodedLayer {
  kind: LayerKind;
  depth: number;
  text: string;
}

export interface DecodeLimits {
  maxDepth: number;
  maxLayers: number;
}

export interface DecodeResult {
  layers: DecodedLayer[];
  findings: Finding[];
  /** Set when the nesting or the number of layers passes the limits. */
  abuse: string | null;
}

const HEX_ESCAPES = /(?:\\x[0-9a-fA-F]{2}){4,}/g;
const URL_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
// A word mixing letters with the digits and symbols leetspeak uses for them ("1gn0r3").
const LEET_WORD = /(?<![\p{L}\p{N}])(?=[a-z0-9@$]*[a-z])(?=[a-z@$]*[0-9@$])[a-z0-9@$]{3,}(?![\p{L}\p{N}])/giu;
const LEET_MAP: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
};

enum Cls {
  Other = 0,
  Hex = 1, // 0-9 a-f A-F (also base64)
  Base64 = 2, // other base64 letters, + / _ -
  Leet = 4, // @ $ (leet symbols outside the base64 alphabet)
}

const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[0-9a-fA-F]/.test(ch)) CLASS[c] = Cls.Hex;
  else if (/[g-zG-Z+/_-]/.test(ch)) CLASS[c] = Cls.Base64;
  else if (ch === '@' || ch === '$') CLASS[c] = Cls.Leet;
}

interface Scan {
  base64: string[];
  hex: string[];
  percents: number;
  leetWords: boolean;
}

/**
 * One hand-written pass over the text finds what each decoder needs (base64 and hex runs, %XX
 * escapes, words mixing letters and digits) so that the common prompt, which has none, costs one
 * loop of charCodeAt instead of a regex scan per encoding.
 */
function scan(text: string): Scan {
  const out: Scan = { base64: [], hex: [], percents: 0, leetWords: false };
  let runStart = 0;
  let allHex = true;
  let upper = false;
  let lower = false;
  let letter = false;
  let digit = false;
  const end = (i: number): void => {
    const len = i - runStart;
    if (len >= 16 && !allHex && upper && lower) out.base64.push(text.slice(runStart, i));
    else if (len >= 16 && allHex && len % 2 === 0) out.hex.push(text.slice(runStart, i));
    if (letter && digit && len >= 3) out.leetWords = true;
  };
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x20;
    const cls = c < 128 ? CLASS[c]! : Cls.Other;
    if (cls === Cls.Other || cls === Cls.Leet) {
      if (i > runStart) end(i);
      if (c === 0x25) out.percents++;
      runStart = i + 1;
      allHex = true;
      upper = lower = letter = false;
      digit = cls === Cls.Leet;
      if (digit) {
        // '@' and '$' belong to the next word for leetspeak, not to a base64 run.
        runStart = i + 1;
      }
      continue;
    }
    if (cls !== Cls.Hex) allHex = false;
    if (c >= 0x41 && c <= 0x5a) upper = letter = true;
    else if (c >= 0x61 && c <= 0x7a) lower = letter = true;
    else if (c >= 0x30 && c <= 0x39) digit = true;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded bytes count as text only when they are valid UTF-8 and nearly all printable. */
function asText(bytes: Buffer): string | null {
  if (bytes.length < 6) return null;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 || c === 0x0a || c === 0x0d || c === 0x09) printable++;
  }
  return printable / text.length >= 0.95 ? text : null;
}

function decodeBase64(run: string): string | null {
  return asText(Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function decodeHex(run: string): string | null {
  return asText(Buffer.from(run.replace(/\\x/g, ''), 'hex'));
}

function decodeUrl(text: string): string | null {
  const decoded = text.replace(URL_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
  return decoded === text ? null : decoded;
}

function decodeLeet(text: string): { text: string; words: number } | null {
  let words = 0;
  const decoded = text.replace(LEET_WORD, (word) => {
    words++;
    return word.replace(/[0-9@$]/g, (c) => LEET_MAP[c] ?? c);
  });
  return words > 0 ? { text: decoded, words } : null;
}

function children(text: string, found: Scan): Array<{ kind: LayerKind; text: string }> {
  const out: Array<{ kind: LayerKind; text: string }> = [];
  for (const run of found.base64) {
    const t = decodeBase64(run);
    if (t !== null) out.push({ kind: 'base64', text: t });
  }
  const hexRuns = text.includes('\\x')
    ? [...found.hex, ...Array.from(text.matchAll(HEX_ESCAPES), (m) => m[0])]
    : found.hex;
  for (const run of hexRuns) {
    const t = decodeHex(run);
    if (t !== null) out.push({ kind: 'hex', text: t });
  }
  if (found.percents >= 3) {
    const url = decodeUrl(text);
    if (url !== null) out.push({ kind: 'url', text: url });
  }
  return out;
}

export function decodeLayers(text: string, limits: DecodeLimits): DecodeResult {
  const layers: DecodedLayer[] = [];
  const queue: Array<{ text: string; depth: number; found: Scan }> = [{ text, depth: 0, found: scan(text) }];
  const views: Array<{ text: string; leet: boolean }> = [];
  let abuse: string | null = null;
  while (queue.length > 0 && abuse === null) {
    const item = queue.shift()!;
    views.push({ text: item.text, leet: item.found.leetWords });
    for (const child of children(item.text, item.found)) {
      const depth = item.depth + 1;
      if (depth > limits.maxDepth) {
        abuse = `encodings nested deeper than ${limits.maxDepth} layers`;
        break;
      }
      if (layers.length >= limits.maxLayers) {
        abuse = `more than ${limits.maxLayers} encoded layers`;
        break;
      }
      layers.push({ kind: child.kind, depth, text: child.text });
      queue.push({ text: child.text, depth, found: scan(child.text) });
    }
  }
  const findings: Finding[] = [];
  const kinds = [...new Set(layers.map((l) => l.kind))];
  if (kinds.length > 0) {
    const deepest = Math.max(...layers.map((l) => l.depth));
    findings.push(
      finding(
        FINDING.encoded,
        deepest > 1 ? 'high' : 'medium',
        `decoded ${kinds.join('+')} content, depth ${deepest}`,
      ),
    );
  }
  // Leetspeak is a view of the text and its decoded layers, not a layer to decode further.
  for (const view of views) {
    if (!view.leet) continue;
    const leet = decodeLeet(view.text);
    if (!leet) continue;
    layers.push({ kind: 'leet', depth: 1, text: leet.text });
    if (leet.words >= 3) findings.push(finding(FINDING.encoded, 'low', `${leet.words} leetspeak word(s)`));
  }
  return { layers, findings, abuse };
}
