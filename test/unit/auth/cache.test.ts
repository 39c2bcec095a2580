import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from '../../../pipeline/auth/token-cache.ts';
import { createTokenVerifier } from '../../../pipeline/auth/verifier.ts';
import { AUDIENCE, ISSUER, makeKey, mint } from './helpers.ts';

const NOW = Date.now();
const nowSec = Math.floor(NOW / 1000);

async function countingVerifier(options: { cacheMaxEntries?: number; cacheMaxTtlMs?: number } = {}) {
  const key = await makeKey('k1');
  const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  let lookups = 0;
  const getKey: JWTVerifyGetKey = (header, token) => {
    lookups++;
    return jwks(header, token);
  };
  const verifier = createTokenVerifier({
    getKey,
    algorithms: ['ES256'],
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: 'JWT',
    clockToleranceSec: 0,
    maxTokenAgeSec: 3600,
    maxTokenBytes: 8192,
    cacheMaxEntries: options.cacheMaxEntries ?? 100,
    cacheMaxTtlMs: options.cacheMaxTtlMs ?? 300_000,
  });
  return { key, verifier, lookups: () => lookups };
}

describe('verified-token cache', () => {
  it('verifies a burst of one token once', async () => {
    const { key, verifier, lookups } = await countingVerifier();
    const token = await mint(key, NOW);
    for (let i = 0; i < 50; i++) expect((await verifier.verify(token, NOW + i)).ok).toBe(true);
    expect(lookups()).toBe(1);
    expect(verifier.cached(token, NOW)).toBeDefined();
  });

  it('an entry expires with its token', async () => {
    const { key, verifier, lookups } = await countingVerifier();
    const token = await mint(key, NOW, { exp: nowSec + 60 });
    expect((await verifier.verify(token, NOW)).ok).toBe(true);
    expect(verifier.cached(token, nowSec * 1000 + 59_000)).toBeDefined();
    expect(verifier.cached(token, nowSec * 1000 + 60_000)).toBeUndefined();
    expect(await verifier.verify(token, nowSec * 1000 + 61_000)).toMatchObject({
      ok: false,
      code: 'AUTH_EXPIRED',
    });
    expect(lookups()).toBe(2);
  });

  it('an entry also dies at iat + maxTokenAge and at the cache TTL', async () => {
    const { key, verifier } = await countingVerifier({ cacheMaxTtlMs: 24 * 3_600_000 });
    const token = await mint(key, NOW, { exp: nowSec + 7200 }); // maxTokenAge 3600 comes first
    await verifier.verify(token, NOW);
    expect(verifier.cached(token, nowSec * 1000 + 3_599_000)).toBeDefined();
    expect(verifier.cached(token, nowSec * 1000 + 3_601_000)).toBeUndefined();

    const ttl = await countingVerifier({ cacheMaxTtlMs: 1_000 });
    const t2 = await mint(ttl.key, NOW);
    await ttl.verifier.verify(t2, NOW);
    expect(ttl.verifier.cached(t2, NOW + 999)).toBeDefined();
    expect(ttl.verifier.cached(t2, NOW + 1_000)).toBeUndefined();
  });

  it('is bounded, evicting the least recently used, and never keeps a failed verification', async () => {
    const { key, verifier, lookups } = await countingVerifier({ cacheMaxEntries: 3 });
    const tokens = await Promise.all([1, 2, 3, 4].map((i) => mint(key, NOW, { claims: { sub: `u${i}` } })));
    for (const t of tokens.slice(0, 3)) await verifier.verify(t, NOW);
    await verifier.verify(tokens[0]!, NOW); // touch u1: u2 is now the oldest
    await verifier.verify(tokens[3]!, NOW);
    expect(verifier.cache.size).toBe(3);
    expect(verifier.cached(tokens[0]!, NOW)).toBeDefined();
    expect(verifier.cached(tokens[1]!, NOW)).toBeUndefined();
    expect(lookups()).toBe(4);

    const bad = `${tokens[0]!.slice(0, -4)}AAAA`;
    expect((await verifier.verify(bad, NOW)).ok).toBe(false);
    expect((await verifier.verify(bad, NOW)).ok).toBe(false);
    expect(verifier.cached(bad, NOW)).toBeUndefined();
  });

  it('keys entries by a hash of the token, never the token itself', () => {
    const key = VerifiedTokenCache.keyOf('header.payload.signature');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('payload');
  });
});
