import { describe, expect, it } from 'vitest';
import { isRedlineError } from '../../../pipeline/errors.ts';
import { luhnValid, OutputScanner, outputScanConfigSchema } from '../../../workers/output-scan/index.ts';

const CANARY = 'CANARY-7f3a9b2c41d0';

function scanner(overrides: Record<string, unknown> = {}) {
  return new OutputScanner(outputScanConfigSchema.parse({ canaries: [CANARY], ...overrides }));
}

// Planted values: each must disappear from the output and be reported by kind.
const PLANTED = {
  api_key: 'sk-proj-AbCdEf1234567890GhIjKlMnOpQr',
  anthropic: 'sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe',
  aws_access_key: 'AKIAIOSFODNN7EXAMPLE',
  github_token: `ghp_${'a1B2c3D4e5'.repeat(3)}a1B2c3`,
  github_pat: `github_pat_11ABCDEFG0${'x1Y2z3'.repeat(10)}ab`,
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  private_key: [
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
    'aNcE3fVGmQ9V0l2Vb3d5lB4Yx1d+V0Q/6qUf4sRYkU8h0m6n1k8mVq2K8z7x0Q==',
    '-----END RSA PRIVATE KEY-----',
  ].join('\n'),
  email: 'bob.smith+test@mail.example.co.uk',
  phone_us: '(555) 123-4567',
  phone_intl: '+44 20 7946 0958',
  card: '4111 1111 1111 1111',
  card_dashes: '5500-0000-0000-0004',
  card_plain: '378282246310005',
  canary: CANARY,
};

const KIND_OF: Record<keyof typeof PLANTED, string> = {
  api_key: 'api_key',
  anthropic: 'api_key',
  aws_access_key: 'aws_access_key',
  github_token: 'github_token',
  github_pat: 'github_token',
  jwt: 'jwt',
  private_key: 'private_key',
  email: 'email',
  phone_us: 'phone',
  phone_intl: 'phone',
  card: 'card_number',
  card_dashes: 'card_number',
  card_plain: 'card_number',
  canary: 'canary',
};

describe('output scan (one shot)', () => {
  const s = scanner({ policy: { canary: 'redact' } });

  for (const [name, value] of Object.entries(PLANTED) as Array<[keyof typeof PLANTED, string]>) {
    it(`redacts ${name} in running text`, () => {
      const text = `Here you go: ${value}. Anything else?`;
      const result = s.scan(text);
      expect(result.text).toBe(`Here you go: [REDACTED:${KIND_OF[name]}]. Anything else?`);
      expect(result.redactions).toEqual([KIND_OF[name]]);
      expect(JSON.stringify(result.redactions)).not.toContain(value);
    });
  }

  it('leaves ordinary text alone, including key-like words, dates and plain numbers', () => {
    const text =
      'Use sk-learn-is-a-nice-python-library-for-ml on 2024-01-15 at 10:30, order 1234567890123, ' +
      'version 1.2.3, price $1,234.56, ratio 3/4, see https://example.com/path and user@localhost.';
    expect(s.scan(text)).toEqual({ text, redactions: [] });
  });

  it('does not redact card-shaped numbers that fail the Luhn check', () => {
    for (const bad of ['4111 1111 1111 1112', '5500-0000-0000-0005', '378282246310006', '1234567890123456']) {
      expect(luhnValid(bad.replace(/\D/g, ''))).toBe(false);
      const text = `number ${bad} here`;
      expect(s.scan(text)).toEqual({ text, redactions: [] });
    }
  });

  it('finds a valid card followed by an expiry and after another number', () => {
    expect(s.scan('card 4111 1111 1111 1111 12 25').text).toBe('card [REDACTED:card_number] 12 25');
    expect(s.scan('ref 12 4111 1111 1111 1111 ok').text).toBe('ref 12 [REDACTED:card_number] ok');
  });

  it('redacts an unterminated private key to the end (a truncated key still leaks)', () => {
    const text = 'key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ';
    expect(s.scan(text)).toEqual({ text: 'key:\n[REDACTED:private_key]', redactions: ['private_key'] });
  });

  it('blocks per policy with OUTPUT_BLOCKED, naming kinds but not values', () => {
    const blocking = scanner(); // canary: block by default
    let caught: unknown;
    try {
      blocking.scan(`The system prompt says ${CANARY} and mail a@b.io`);
    } catch (err) {
      caught = err;
    }
    expect(isRedlineError(caught, 'OUTPUT_BLOCKED')).toBe(true);
    expect((caught as { kinds: string[] }).kinds).toEqual(['canary']);
    expect((caught as Error).message).not.toContain(CANARY);
    const strict = scanner({ policy: { pii: 'block' } });
    expect(() => strict.scan('write to bob@example.com')).toThrow(/OUTPUT_BLOCKED|blocked/);
  });

  it('allow turns a category off', () => {
    const lax = scanner({ policy: { pii: 'allow', canary: 'allow' } });
    const text = `mail bob@example.com, ${CANARY}, key ${PLANTED.aws_access_key}`;
    expect(lax.scan(text).text).toBe(`mail bob@example.com, ${CANARY}, key [REDACTED:aws_access_key]`);
  });
});

describe('output scan (streamed)', () => {
  const s = scanner({ policy: { canary: 'redact' }, streamStepChars: 1 });

  function streamed(chunks: string[], sc = s): string {
    const st = sc.stream();
    let out = '';
    for (const c of chunks) out += st.push(c);
    return out + st.finish();
  }

  for (const [name, value] of Object.entries(PLANTED) as Array<[keyof typeof PLANTED, string]>) {
    it(`catches ${name} split across two chunks at every position`, () => {
      const prefix = 'Sure, here it is: ';
      const text = `${prefix}${value} and that is all.`;
      const expected = `${prefix}[REDACTED:${KIND_OF[name]}] and that is all.`;
      for (let cut = 0; cut <= value.length; cut++) {
        const at = prefix.length + cut;
        const out = streamed([text.slice(0, at), text.slice(at)]);
        expect(out, `split at ${cut}`).toBe(expected);
      }
    });
  }

  it('never emits a secret before it is complete (every emitted piece is final)', () => {
    const value = PLANTED.api_key;
    const text = `prefix ${value} suffix`;
    const st = s.stream();
    const emitted: string[] = [];
    for (const ch of text) emitted.push(st.push(ch));
    emitted.push(st.finish());
    // No emitted piece holds any 6-char fragment of the key.
    for (const piece of emitted)
      for (let i = 0; i + 6 <= value.length; i++) expect(piece).not.toContain(value.slice(i, i + 6));
    expect(emitted.join('')).toBe('prefix [REDACTED:api_key] suffix');
  });

  it('equals the one-shot scan for a long mixed text in random chunk sizes', () => {
    const parts = Object.values(PLANTED);
    let text = '';
    for (let i = 0; i < 40; i++)
      text += `Paragraph ${i}: some words ${parts[i % parts.length]} and more words. `;
    text += 'not 4111 1111 1111 1112. ';
    const expected = s.scan(text);
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const step of [1, 7, 128]) {
      const sc = scanner({ policy: { canary: 'redact' }, streamStepChars: step });
      const chunks: string[] = [];
      for (let i = 0; i < text.length; ) {
        const n = 1 + Math.floor(rand() * 40);
        chunks.push(text.slice(i, i + n));
        i += n;
      }
      const st = sc.stream();
      let out = '';
      for (const c of chunks) out += st.push(c);
      out += st.finish();
      expect(out).toBe(expected.text);
      expect([...st.redactions].sort()).toEqual([...expected.redactions].sort());
    }
  });

  it('catches secrets longer than the fixed hold-back (a 1.4 KB JWT, a 3 KB key) split anywhere', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => 'AbCdEfGh0123456789xyz'[i % 21]).join('');
    const longJwt = `eyJhbGciOiJSUzUxMiJ9.eyJ${body(700)}.${body(683)}`;
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) lines.push(body(64));
    const longKey = `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----`;
    expect(longJwt.length).toBeGreaterThan(1_000);
    expect(longKey.length).toBeGreaterThan(3_000);
    for (const [value, kind] of [
      [longJwt, 'jwt'],
      [longKey, 'private_key'],
    ] as const) {
      const text = `see: ${value} (done)`;
      expect(s.scan(text).text).toBe(`see: [REDACTED:${kind}] (done)`);
      for (let cut = 0; cut <= value.length; cut += 37) {
        const out = streamed([text.slice(0, 5 + cut), text.slice(5 + cut)]);
        expect(out, `${kind} split at ${cut}`).toBe(`see: [REDACTED:${kind}] (done)`);
      }
      // Token-sized chunks, rescanning often.
      const chunks = text.match(/[\s\S]{1,3}/g) ?? [];
      expect(streamed(chunks)).toBe(`see: [REDACTED:${kind}] (done)`);
    }
  });

  it('holds an unfinished private key until its END line, then redacts it whole', () => {
    const st = s.stream();
    let out = st.push('start ');
    const lines = PLANTED.private_key.split('\n');
    for (const line of lines) out += st.push(`${line}\n`);
    for (let i = 0; i < 20; i++) out += st.push('filler text that keeps coming in. ');
    out += st.finish();
    expect(out.startsWith('start [REDACTED:private_key]\nfiller')).toBe(true);
  });

  it('blocks a streamed canary before any part of it is emitted', () => {
    const blocking = scanner({ streamStepChars: 1 });
    const st = blocking.stream();
    let out = '';
    const text = `leaking ${CANARY} now`;
    expect(() => {
      for (const ch of text) out += st.push(ch);
      out += st.finish();
    }).toThrow(/blocked/);
    expect(out).not.toContain(CANARY.slice(0, 8));
  });

  it('blocks a streamed canary within one rescan step of its last character, not after the held-back window', () => {
    const st = scanner({ streamStepChars: 16 }).stream();
    const chunks = ['leaking ', CANARY.slice(0, 5), CANARY.slice(5), ...Array(200).fill(' more')];
    let pushed = 0;
    expect(() => {
      for (const c of chunks) {
        pushed++;
        st.push(c);
      }
    }).toThrow(/blocked/);
    expect(pushed - 3).toBeLessThan(4); // at most 16 more characters, in 5-character chunks
  });
});
