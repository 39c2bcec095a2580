import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth } from '../../../pipeline/auth/build.ts';
import { authConfigSchema } from '../../../pipeline/auth/config.ts';
import { makeKey, mint, POLICY_YAML, request, type TestKey, tempDir } from './helpers.ts';

// A real HTTP server on loopback plays the IdP's jwks_uri; keys rotate while the verifier runs.

interface JwksServer {
  url: string;
  keys: TestKey[];
  hits: number;
  status: number;
  close(): Promise<void>;
}

async function jwksServer(keys: TestKey[]): Promise<JwksServer> {
  const state: JwksServer = { url: '', keys, hits: 0, status: 200, close: async () => {} };
  const server: Server = createServer((_req, res) => {
    state.hits++;
    res.writeHead(state.status, { 'content-type': 'application/jwk-set+json' });
    res.end(JSON.stringify({ keys: state.keys.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

describe('remote JWKS', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(jwksCooldownMs: number, keys: TestKey[]) {
    const server = await jwksServer(keys);
    const { dir, cleanup } = tempDir();
    const policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, POLICY_YAML);
    const auth = createAuth(authConfigSchema.parse({ jwksUrl: server.url, jwksCooldownMs, policyFile }));
    cleanups.push(
      cleanup,
      () => server.close(),
      () => auth.close(),
    );
    return { server, auth };
  }

  it('picks up a key rotation without restart', async () => {
    const oldKey = await makeKey('2026-old');
    const newKey = await makeKey('2026-new');
    const { server, auth } = await setup(0, [oldKey]);
    const now = Date.now();

    expect((await auth.core(request(await mint(oldKey, now)), { now })).kind).toBe('pass');
    expect(server.hits).toBe(1);

    // The IdP rotates: the new key is published, the old one withdrawn.
    server.keys = [newKey];
    const verdict = await auth.core(request(await mint(newKey, now)), { now });
    expect(verdict.kind).toBe('pass');
    expect(server.hits).toBe(2);
    // A fresh token from the withdrawn key is now unknown.
    const stale = await auth.core(request(await mint(oldKey, now, { claims: { sub: 'other' } })), { now });
    expect(stale).toMatchObject({ kind: 'reject', code: 'AUTH_UNKNOWN_KEY' });
  });

  it('an unknown kid within the cooldown does not refetch (no amplification)', async () => {
    const key = await makeKey('k1');
    const { server, auth } = await setup(60_000, [key]);
    const now = Date.now();
    expect((await auth.core(request(await mint(key, now)), { now })).kind).toBe('pass');
    for (let i = 0; i < 5; i++) {
      const rogue = await mint(await makeKey(`rogue-${i}`), now);
      expect(await auth.core(request(rogue), { now })).toMatchObject({
        kind: 'reject',
        code: 'AUTH_UNKNOWN_KEY',
      });
    }
    expect(server.hits).toBe(1);
  });

  it('an unreachable JWKS is an error (the request is not at fault), not a rejection', async () => {
    const key = await makeKey('k1');
    const { server, auth } = await setup(0, [key]);
    server.status = 503;
    const now = Date.now();
    await expect(auth.core(request(await mint(key, now)), { now })).rejects.toMatchObject({
      code: 'AUTH_KEYS_UNAVAILABLE',
    });
  });
});
