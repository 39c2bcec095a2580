import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeySource, parsePublicJwks } from '../../../pipeline/auth/keys.ts';
import { type Fixture, fixture, makeKey, mint, request, writeJwks } from './helpers.ts';

describe('local JWKS file', () => {
  let fx: Fixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('picks up a rotated file without restart and keeps the old keys when the new file is broken', async () => {
    fx = await fixture();
    const next = await makeKey('k2');
    const now = Date.now();
    const before = await mint(next, now);
    expect(await fx.auth.core(request(before), { now })).toMatchObject({
      kind: 'reject',
      code: 'AUTH_UNKNOWN_KEY',
    });

    writeJwks(fx.jwksFile, [fx.key, next]);
    await vi.waitFor(
      async () => expect((await fx!.auth.core(request(await mint(next, now)), { now })).kind).toBe('pass'),
      { timeout: 5_000, interval: 50 },
    );

    // A broken file (here: a private key published by mistake) is refused; the keys stay.
    writeFileSync(fx.jwksFile, JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }));
    await new Promise((r) => setTimeout(r, 300));
    expect(fx.auth.keys.reload()).toBe(false);
    expect(
      (await fx.auth.core(request(await mint(fx.key, now, { claims: { sub: 'n' } })), { now })).kind,
    ).toBe('pass');
  });

  it('refuses JWKS files with private or symmetric members, or no keys array', async () => {
    const key = await makeKey('k');
    expect(() => parsePublicJwks(JSON.stringify({ keys: [{ ...key.publicJwk, d: 'x' }] }), 'f')).toThrow(
      /private/,
    );
    expect(() => parsePublicJwks(JSON.stringify({ keys: [{ kty: 'oct', k: 'AA' }] }), 'f')).toThrow(
      /symmetric/,
    );
    expect(() => parsePublicJwks('{"nokeys": 1}', 'f')).toThrow(/JSON Web Key Set/);
    expect(() => parsePublicJwks('not json', 'f')).toThrow(/not JSON/);
  });

  it('needs some key source, and an HMAC secret of at least 32 bytes', () => {
    expect(() => createKeySource({})).toThrow(/no keys configured/);
    expect(() => createKeySource({ hmacSecret: new Uint8Array(16) })).toThrow(/32 bytes/);
  });
});
