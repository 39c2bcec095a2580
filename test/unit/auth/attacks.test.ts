import { createHmac, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../../pipeline/auth/build.ts';
import { authConfigSchema } from '../../../pipeline/auth/config.ts';
import type { Verdict } from '../../../pipeline/verdict.ts';
import type { AuthorizedRequest } from '../../../schemas/types.ts';
import {
  b64url,
  baseClaims,
  type Fixture,
  fixture,
  makeKey,
  mint,
  request,
  signRaw,
  type TestKey,
} from './helpers.ts';

// The JWT attack suite: each hostile token is rejected with its own code, and no detail echoes it.

const NOW = Date.now();
const nowSec = Math.floor(NOW / 1000);
let fx: Fixture;
let attacker: TestKey;

beforeAll(async () => {
  fx = await fixture();
  attacker = await makeKey('k1'); // same kid as the real key
});
afterAll(() => fx.cleanup());

async function run(token: string | null, overrides = {}): Promise<Verdict<AuthorizedRequest>> {
  return fx.auth.core(request(token, overrides), { now: NOW });
}

async function expectRejected(token: string | null, code: string, overrides = {}) {
  const verdict = await run(token, overrides);
  expect(verdict.kind).toBe('reject');
  if (verdict.kind !== 'reject') return;
  expect(verdict.code).toBe(code);
  if (token) {
    // No segment of the token (nor the token) appears in what the caller or a log sees.
    for (const part of token.split('.').filter((p) => p.length >= 8))
      expect(verdict.detail).not.toContain(part);
  }
}

const header = (h: Record<string, unknown>) => ({ alg: 'ES256', kid: 'k1', typ: 'JWT', ...h });
const claims = (extra: Record<string, unknown> = {}) => ({
  ...baseClaims(),
  iss: 'redline-dev',
  aud: 'redline',
  iat: nowSec,
  exp: nowSec + 600,
  ...extra,
});

describe('auth: a valid token passes', () => {
  it('passes with the principal and without the token', async () => {
    const verdict = await run(await mint(fx.key, NOW));
    expect(verdict.kind).toBe('pass');
    if (verdict.kind !== 'pass') return;
    expect(verdict.output.principal).toEqual({
      subject: 'user-1',
      tenant: 'acme',
      roles: ['analyst'],
      tier: 'standard',
      weightLevel: null,
    });
    expect('token' in verdict.output).toBe(false);
    expect(JSON.stringify(verdict.output)).not.toContain('eyJ');
  });
});

describe('auth: JWT attacks', () => {
  it('no token at all → AUTH_MISSING', async () => {
    await expectRejected(null, 'AUTH_MISSING');
    await expectRejected('', 'AUTH_MISSING');
  });

  it('alg: none → AUTH_ALG_NOT_ALLOWED', async () => {
    const token = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims()))}.`;
    await expectRejected(token, 'AUTH_ALG_NOT_ALLOWED');
    const noneUpper = `${b64url(JSON.stringify({ alg: 'None', typ: 'JWT' }))}.${b64url(JSON.stringify(claims()))}.`;
    await expectRejected(noneUpper, 'AUTH_ALG_NOT_ALLOWED');
  });

  it('HS256 signed with the public key as the secret → AUTH_ALG_NOT_ALLOWED', async () => {
    const pem = createPublicKey({ key: fx.key.publicJwk, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    for (const secret of [String(pem), JSON.stringify(fx.key.publicJwk)]) {
      const input = `${b64url(JSON.stringify(header({ alg: 'HS256' })))}.${b64url(JSON.stringify(claims()))}`;
      const token = `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
      await expectRejected(token, 'AUTH_ALG_NOT_ALLOWED');
    }
  });

  it('HS256 with the public key as secret fails even when HMAC is configured', async () => {
    const secretFile = join(fx.dir, 'hmac.secret');
    writeFileSync(secretFile, 'x'.repeat(48));
    const auth = createAuth(authConfigSchema.parse({ ...fx.config, hmacSecretFile: secretFile }));
    try {
      const pem = String(
        createPublicKey({ key: fx.key.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }),
      );
      const input = `${b64url(JSON.stringify(header({ alg: 'HS256' })))}.${b64url(JSON.stringify(claims()))}`;
      const forged = `${input}.${b64url(createHmac('sha256', pem).update(input).digest())}`;
      const forgedVerdict = await auth.core(request(forged), { now: NOW });
      expect(forgedVerdict).toMatchObject({ kind: 'reject', code: 'AUTH_BAD_SIGNATURE' });
      // The configured secret itself does verify: HMAC works only with it.
      const genuine = `${input}.${b64url(createHmac('sha256', 'x'.repeat(48)).update(input).digest())}`;
      expect((await auth.core(request(genuine), { now: NOW })).kind).toBe('pass');
    } finally {
      await auth.close();
    }
  });

  it('a stripped signature → AUTH_BAD_SIGNATURE (or AUTH_MALFORMED without the dot)', async () => {
    const token = await mint(fx.key, NOW);
    const [h, p] = token.split('.');
    await expectRejected(`${h}.${p}.`, 'AUTH_BAD_SIGNATURE');
    await expectRejected(`${h}.${p}`, 'AUTH_MALFORMED');
  });

  it('a signature from another key with the same kid → AUTH_BAD_SIGNATURE', async () => {
    await expectRejected(await mint(attacker, NOW), 'AUTH_BAD_SIGNATURE');
  });

  it('a tampered payload under a genuine signature → AUTH_BAD_SIGNATURE', async () => {
    const [h, , s] = (await mint(fx.key, NOW)).split('.');
    const escalated = b64url(JSON.stringify(claims({ roles: ['admin'], weight_level: 999 })));
    await expectRejected(`${h}.${escalated}.${s}`, 'AUTH_BAD_SIGNATURE');
  });

  it('an unknown kid → AUTH_UNKNOWN_KEY', async () => {
    await expectRejected(await mint(fx.key, NOW, { header: { kid: 'nope' } }), 'AUTH_UNKNOWN_KEY');
  });

  it('a kid holding a path or SQL → AUTH_UNKNOWN_KEY', async () => {
    for (const kid of ['../../../../etc/passwd', '/dev/null', "k1' OR '1'='1", 'k1; DROP TABLE keys;--']) {
      await expectRejected(await mint(fx.key, NOW, { header: { kid } }), 'AUTH_UNKNOWN_KEY');
    }
  });

  it('jku, x5u and an embedded jwk pointing elsewhere → AUTH_UNKNOWN_KEY', async () => {
    const elsewhere = 'https://attacker.example/jwks.json';
    const cases: Record<string, unknown>[] = [
      { jku: elsewhere },
      { x5u: elsewhere },
      { jwk: attacker.publicJwk, kid: undefined },
      { jwk: attacker.publicJwk },
      { x5c: ['MIIB'] },
    ];
    for (const extra of cases) {
      // Signed by the attacker, whose key the header names…
      await expectRejected(signRaw(header(extra), claims(), attacker.privateKey), 'AUTH_UNKNOWN_KEY');
      // …and even signed by the real key: a token that names its own key is never trusted.
      await expectRejected(signRaw(header(extra), claims(), fx.key.privateKey), 'AUTH_UNKNOWN_KEY');
    }
  });

  it('an unknown crit header → AUTH_MALFORMED', async () => {
    await expectRejected(
      signRaw(header({ crit: ['exp-redline'], 'exp-redline': 1 }), claims(), fx.key.privateKey),
      'AUTH_MALFORMED',
    );
    await expectRejected(signRaw(header({ crit: [] }), claims(), fx.key.privateKey), 'AUTH_MALFORMED');
    await expectRejected(
      signRaw(header({ b64: false, crit: ['b64'] }), claims(), fx.key.privateKey),
      'AUTH_MALFORMED',
    );
  });

  it('expired, not yet valid, issued in the future and too old', async () => {
    await expectRejected(await mint(fx.key, NOW, { iat: nowSec - 3600, exp: nowSec - 60 }), 'AUTH_EXPIRED');
    await expectRejected(
      await mint(fx.key, NOW, { nbf: nowSec + 3600, exp: nowSec + 7200 }),
      'AUTH_NOT_YET_VALID',
    );
    await expectRejected(
      await mint(fx.key, NOW, { iat: nowSec + 3600, exp: nowSec + 7200 }),
      'AUTH_NOT_YET_VALID',
    );
    // Still before exp, but issued longer ago than maxTokenAge (default 24 h).
    await expectRejected(
      await mint(fx.key, NOW, { iat: nowSec - 2 * 86_400, exp: nowSec + 3600 }),
      'AUTH_EXPIRED',
    );
  });

  it('clock tolerance: 10 s past exp still passes, 31 s past does not', async () => {
    expect((await run(await mint(fx.key, NOW, { iat: nowSec - 100, exp: nowSec - 10 }))).kind).toBe('pass');
    await expectRejected(await mint(fx.key, NOW, { iat: nowSec - 100, exp: nowSec - 31 }), 'AUTH_EXPIRED');
  });

  it('wrong issuer, wrong audience, wrong typ, missing exp → AUTH_CLAIMS', async () => {
    await expectRejected(await mint(fx.key, NOW, { iss: 'https://evil.example' }), 'AUTH_CLAIMS');
    await expectRejected(await mint(fx.key, NOW, { aud: 'someone-else' }), 'AUTH_CLAIMS');
    await expectRejected(await mint(fx.key, NOW, { header: { typ: 'at+jwt' } }), 'AUTH_CLAIMS');
    const { exp: _exp, ...noExp } = claims();
    await expectRejected(signRaw(header({}), noExp, fx.key.privateKey), 'AUTH_CLAIMS');
  });

  it('a token of another tenant → TENANT_MISMATCH', async () => {
    await expectRejected(await mint(fx.key, NOW, { claims: { tenant: 'globex' } }), 'TENANT_MISMATCH');
  });

  it('a 1 MiB token → AUTH_TOO_LARGE, and 8 KiB + 1 too', async () => {
    const big = await mint(fx.key, NOW, { claims: { pad: 'x'.repeat(1024 * 1024) } });
    await expectRejected(big, 'AUTH_TOO_LARGE');
    await expectRejected('a'.repeat(8 * 1024 + 1), 'AUTH_TOO_LARGE');
    await expectRejected('é'.repeat(5000), 'AUTH_TOO_LARGE'); // 10,000 bytes in UTF-8
  });

  it('malformed base64 and JSON → AUTH_MALFORMED', async () => {
    const good = await mint(fx.key, NOW);
    const [h, p, s] = good.split('.');
    await expectRejected('not a jwt', 'AUTH_MALFORMED');
    await expectRejected(`${h}!.${p}.${s}`, 'AUTH_MALFORMED');
    await expectRejected(`${h}.${p}.${s}.${s}`, 'AUTH_MALFORMED');
    await expectRejected(`${b64url('{"alg":"ES256",')}.${p}.${s}`, 'AUTH_MALFORMED');
    await expectRejected(`${b64url('[1,2]')}.${p}.${s}`, 'AUTH_MALFORMED');
    // A payload that is not JSON, or not an object, under a genuine signature.
    await expectRejected(signRaw(header({}), '{"sub": "x"', fx.key.privateKey), 'AUTH_MALFORMED');
    await expectRejected(signRaw(header({}), '"a string"', fx.key.privateKey), 'AUTH_MALFORMED');
  });

  it('claims with the wrong types → AUTH_CLAIMS', async () => {
    const wrong: Record<string, unknown>[] = [
      { roles: 'admin' },
      { roles: [] },
      { roles: [1, 2] },
      { tenant: 42 },
      { sub: '' },
      { weight_level: 'high' },
      { weight_level: -1 },
      { tier: 'platinum' },
      { models: 'llama-*' },
      { exp: String(nowSec + 600) },
      { iat: 'yesterday' },
    ];
    for (const extra of wrong) {
      await expectRejected(signRaw(header({}), claims(extra), fx.key.privateKey), 'AUTH_CLAIMS');
    }
    const { tenant: _t, ...noTenant } = claims();
    await expectRejected(signRaw(header({}), noTenant, fx.key.privateKey), 'AUTH_CLAIMS');
    const { sub: _s, ...noSub } = claims();
    await expectRejected(signRaw(header({}), noSub, fx.key.privateKey), 'AUTH_CLAIMS');
  });

  it('an algorithm off the allowlist (ES384 with a matching key) → AUTH_ALG_NOT_ALLOWED', async () => {
    const es384 = await makeKey('k384', 'ES384');
    await expectRejected(await mint(es384, NOW, { alg: 'ES384' }), 'AUTH_ALG_NOT_ALLOWED');
  });

  it('HS256 signed with an RSA public key (PEM) as the secret → AUTH_ALG_NOT_ALLOWED', async () => {
    const rsa = await makeKey('r1', 'RS256');
    const rsaFx = await fixture({}, [rsa]);
    try {
      expect(
        (await rsaFx.auth.core(request(await mint(rsa, NOW, { alg: 'RS256' })), { now: NOW })).kind,
      ).toBe('pass');
      const pem = String(
        createPublicKey({ key: rsa.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }),
      );
      const input = `${b64url(JSON.stringify(header({ alg: 'HS256', kid: 'r1' })))}.${b64url(JSON.stringify(claims()))}`;
      const forged = `${input}.${b64url(createHmac('sha256', pem).update(input).digest())}`;
      expect(await rsaFx.auth.core(request(forged), { now: NOW })).toMatchObject({
        kind: 'reject',
        code: 'AUTH_ALG_NOT_ALLOWED',
      });
    } finally {
      await rsaFx.cleanup();
    }
  });

  it('a cached token still meets the policy on every request (tenant, model, weight)', async () => {
    const token = await mint(fx.key, NOW, { claims: { sub: 'cached' } });
    expect((await run(token)).kind).toBe('pass');
    expect(fx.auth.verifier.cached(token, NOW)).toBeDefined();
    await expectRejected(token, 'TENANT_MISMATCH', { tenant: 'globex' });
    await expectRejected(token, 'RBAC_DENIED', { model: 'gpt-4' });
    await expectRejected(token, 'WEIGHT_OUT_OF_BAND', {
      parameters: { maxTokens: 1, temperature: 0, weight: 11 },
    });
    // …and passes again, synchronously, from the cache.
    const again = fx.auth.core(request(token), { now: NOW });
    expect(again).not.toBeInstanceOf(Promise);
    expect((await again).kind).toBe('pass');
  });

  it('none of the attacks ever passes, even through the cache', async () => {
    const token = await mint(attacker, NOW);
    for (let i = 0; i < 3; i++) expect((await run(token)).kind).toBe('reject');
  });
});
