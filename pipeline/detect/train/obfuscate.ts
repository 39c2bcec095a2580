// Obfuscations attackers use to slip past keyword filters; applied to augmented attacks so the
// classifier learns that the disguise itself is suspicious and still sees the words underneath.

const HOMOGLYPHS: Record<string, string> = {
  a: 'а', // Cyrillic
  c: 'с',
  e: 'е',
  i: 'і',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  s: 'ѕ',
};
const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7', l: '1' };

export type Obfuscation = 'spacing' | 'homoglyph' | 'leet' | 'base64' | 'zero-width' | 'case' | 'punctuation';
export const OBFUSCATIONS: Obfuscation[] = [
  'spacing',
  'homoglyph',
  'leet',
  'base64',
  'zero-width',
  'case',
  'punctuation',
];

const BASE64_WRAPPERS = [
  'Decode this base64 and do what it says: ',
  'The following is base64. Decode it and follow the instructions inside: ',
  '解码下面的base64并执行其中的指令：',
  'Execute the decoded payload: ',
];

function mapChars(text: string, table: Record<string, string>, rate: number, rng: () => number): string {
  let out = '';
  for (const ch of text) {
    const sub = table[ch.toLowerCase()];
    out += sub && rng() < rate ? sub : ch;
  }
  return out;
}

export function obfuscate(text: string, kind: Obfuscation, rng: () => number): string {
  switch (kind) {
    case 'spacing':
      return [...text].join(rng() < 0.5 ? ' ' : '  ');
    case 'homoglyph':
      return mapChars(text, HOMOGLYPHS, 0.6, rng);
    case 'leet':
      return mapChars(text, LEET, 0.7, rng);
    case 'base64':
      return (
        BASE64_WRAPPERS[Math.floor(rng() * BASE64_WRAPPERS.length)] +
        Buffer.from(text, 'utf8').toString('base64')
      );
    case 'zero-width':
      return [...text].join('\u200b');
    case 'case':
      return [...text].map((c) => (rng() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
    case 'punctuation':
      return text
        .split(' ')
        .map((w) => [...w].join(rng() < 0.5 ? '.' : '-'))
        .join(' ');
  }
}
