import { describe, expect, it } from 'vitest';
import { OutputScanner, outputScanConfigSchema } from '../../../workers/output-scan/index.ts';

// Property: for any text and any chunking, the streamed scan's output equals the one-shot scan's.
// Texts are built from pieces that make partial and overlapping matches likely.

const PIECES = [
  ' ',
  '.',
  '-',
  '@',
  '1',
  '4111',
  ' 1111',
  '-0000',
  '(555) ',
  '123-4567',
  '+44 ',
  '20 7946 0958',
  'bob',
  '@example',
  '.com',
  '.co.uk',
  'sk-',
  'proj-AbCdEf1234567890GhIj',
  'AKIA',
  'IOSFODNN7EXAMPLE',
  'ghp_',
  'a1B2c3D4e5a1B2c3D4e5a1B2c3D4e5a1B2c3',
  'eyJ',
  'hbGciOiJIUzI1NiJ9',
  '.eyJzdWIiOiIx',
  '.sig_abc-123',
  '-----BEGIN RSA PRIVATE KEY-----\n',
  'MIIEowIBAAKCAQEA0Z3VS5JJ\n',
  '-----END RSA PRIVATE KEY-----',
  'CANARY-',
  'CANARY-7f3a9b2c',
  'word',
  '\n',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('streamed scan equals the one-shot scan', () => {
  for (const step of [1, 16, 128]) {
    it(`for random texts and chunkings (rescan step ${step})`, () => {
      const scanner = new OutputScanner(
        outputScanConfigSchema.parse({
          policy: { canary: 'redact' },
          canaries: ['CANARY-7f3a9b2c'],
          streamStepChars: step,
        }),
      );
      const random = rng(1000 + step);
      for (let round = 0; round < 150; round++) {
        let text = '';
        const pieces = 5 + Math.floor(random() * 120);
        for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(random() * PIECES.length)];
        const expected = scanner.scan(text);
        const st = scanner.stream();
        let out = '';
        for (let i = 0; i < text.length; ) {
          const n = 1 + Math.floor(random() * 30);
          out += st.push(text.slice(i, i + n));
          i += n;
        }
        out += st.finish();
        expect(out, JSON.stringify(text)).toBe(expected.text);
        expect(new Set(st.redactions)).toEqual(new Set(expected.redactions));
      }
    });
  }
});
