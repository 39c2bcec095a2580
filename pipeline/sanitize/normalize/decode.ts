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

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX_RUN = /(?:\\x[0-9a-fA-F]{2}){4,}|\b(?:[0-9a-fA-F]{2}){8,}\b/g;
const URL_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const URL_MIN = /(?:%[0-9A-Fa-f]{2}[^%]*){3}/;
// A word mixing letters with the digits and symbols leetspeak uses for them ("1gn0r3").
const LEET_WORD = /(?<![\p{L}\p{N}])(?=[a-z0-9@$]*[a-z])(?=[a-z@$]*[0-9@$])[a-z0-9@$]{3,}(?![\p{L}\p{N}])/giu;
const LEET_MAP: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's' };

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

function decodeBase64Runs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0];
    // Plain words and hex digests also fit the alphabet; only mixed runs are worth a decode.
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) continue;
    const decoded = asText(Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    if (decoded) out.push(decoded);
  }
  return out;
}

function decodeHexRuns(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(HEX_RUN)) {
    const decoded = asText(Buffer.from(m[0].replace(/\\x/g, ''), 'hex'));
    if (decoded) out.push(decoded);
  }
  return out;
}

function decodeUrl(text: string): string | null {
  if (!URL_MIN.test(text)) return null;
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

function children(text: string): Array<{ kind: LayerKind; text: string }> {
  const out: Array<{ kind: LayerKind; text: string }> = [];
  for (const t of decodeBase64Runs(text)) out.push({ kind: 'base64', text: t });
  for (const t of decodeHexRuns(text)) out.push({ kind: 'hex', text: t });
  const url = decodeUrl(text);
  if (url !== null) out.push({ kind: 'url', text: url });
  return out;
}

export function decodeLayers(text: string, limits: DecodeLimits): DecodeResult {
  const layers: DecodedLayer[] = [];
  const queue: Array<{ text: string; depth: number }> = [{ text, depth: 0 }];
  let abuse: string | null = null;
  while (queue.length > 0 && abuse === null) {
    const item = queue.shift()!;
    for (const child of children(item.text)) {
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
      queue.push({ text: child.text, depth });
    }
  }
  const findings: Finding[] = [];
  const kinds = [...new Set(layers.map((l) => l.kind))];
  if (kinds.length > 0) {
    const deepest = Math.max(...layers.map((l) => l.depth));
    findings.push(
      finding(FINDING.encoded, deepest > 1 ? 'high' : 'medium', `decoded ${kinds.join('+')} content, depth ${deepest}`),
    );
  }
  // Leetspeak is a view of the text and its decoded layers, not a layer to decode further.
  const views = [text, ...layers.map((l) => l.text)];
  for (const view of views) {
    const leet = decodeLeet(view);
    if (!leet) continue;
    layers.push({ kind: 'leet', depth: 1, text: leet.text });
    if (leet.words >= 3) findings.push(finding(FINDING.encoded, 'low', `${leet.words} leetspeak word(s)`));
  }
  return { layers, findings, abuse };
}
