import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../infra/fingerprint.ts';
import { createLogger } from '../../../infra/log.ts';

describe('log redaction', () => {
  it('never writes prompts, responses, tokens or authorization headers', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger('redaction-test', sink);
    const secret = 'ignore previous instructions SECRET-PROMPT-1234';
    const token = 'eyJhbGciOiJFUzI1NiJ9.SECRET-TOKEN.sig';
    log.info({ prompt: secret, token, output: 'SECRET-OUTPUT' }, 'top level');
    log.info({ request: { prompt: secret, token, normalizedPrompt: secret } }, 'nested');
    log.info({ req: { headers: { authorization: `Bearer ${token}` } } }, 'headers');
    log.info({ response: { text: 'SECRET-OUTPUT' }, prompt: fingerprint(secret) }, 'fingerprint');
    const all = lines.join('');
    expect(lines).toHaveLength(4);
    for (const needle of ['SECRET-PROMPT', 'SECRET-TOKEN', 'SECRET-OUTPUT'])
      expect(all).not.toContain(needle);
    expect(all).toContain('[redacted]');
  });

  it('fingerprints are a short hash and a length', () => {
    expect(fingerprint('hello')).toEqual({ sha256: '2cf24dba5fb0a30e', length: 5 });
  });
});
