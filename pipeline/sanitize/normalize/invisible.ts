import type { Finding } from '../../../schemas/types.ts';
import { FINDING, finding } from '../findings.ts';

// Characters that render as nothing but split words for a matcher ("ig\u200Bnore"), reorder what a
// human sees (bidi controls, "Trojan Source"), or carry hidden ASCII (Unicode tag characters,
// U+E0000–E007F: "ASCII smuggling"). All are removed from what the model and the matchers see.

const ZERO_WIDTH =
  '\\u00AD\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200D\\u2060-\\u2064\\u3164\\uFEFF\\uFFA0';
const BIDI = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
// Tag characters and the variation selectors supplement (both used to hide bytes after an emoji).
const TAGS = '\\u{E0000}-\\u{E007F}';
const VARIATION_SUPPLEMENT = '\\u{E0100}-\\u{E01EF}';

const ANY = new RegExp(`[${ZERO_WIDTH}${BIDI}${TAGS}${VARIATION_SUPPLEMENT}]`, 'u');
const ZERO_WIDTH_G = new RegExp(`[${ZERO_WIDTH}${VARIATION_SUPPLEMENT}]`, 'gu');
const BIDI_G = new RegExp(`[${BIDI}]`, 'gu');
const TAGS_G = new RegExp(`[${TAGS}]+`, 'gu');

export interface InvisibleResult {
  text: string;
  /** ASCII text hidden in tag characters (each tag U+E00xx stands for ASCII 0xxx). */
  hidden: string[];
  findings: Finding[];
}

export function removeInvisible(input: string): InvisibleResult {
  if (!ANY.test(input)) return { text: input, hidden: [], findings: [] };
  const findings: Finding[] = [];
  const hidden: string[] = [];
  let text = input.replace(TAGS_G, (run) => {
    const ascii = Array.from(run, (c) => String.fromCharCode(c.codePointAt(0)! - 0xe0000))
      .join('')
      .replace(/[^\x20-\x7e\n\t]/g, '');
    if (ascii.trim()) hidden.push(ascii);
    return '';
  });
  if (text.length !== input.length) {
    findings.push(
      finding(
        FINDING.tagSmuggling,
        'high',
        `Unicode tag characters removed (${hidden.length} hidden run(s))`,
      ),
    );
  }
  let before = text.length;
  text = text.replace(BIDI_G, '');
  if (text.length !== before)
    findings.push(finding(FINDING.bidi, 'medium', `${before - text.length} bidi control(s) removed`));
  before = text.length;
  text = text.replace(ZERO_WIDTH_G, '');
  if (text.length !== before) {
    findings.push(
      finding(FINDING.invisible, 'low', `${before - text.length} invisible character(s) removed`),
    );
  }
  return { text, hidden, findings };
}
