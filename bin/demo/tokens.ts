import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import {
  generateSigningKey,
  JWKS_FILE,
  mintToken,
  readPrivateJwk,
  SIGNING_KEY_FILE,
} from '../../pipeline/auth/dev-keys.ts';
import type { Tier } from '../../schemas/types.ts';

// The demo's credentials: a development signing key (generated once into .data/, never
// committed), tokens for its tenants, and the bad tokens an attacker would bring.

export interface DemoTokens {
  jwksFile: string;
  /** tenant → token */
  good: Record<string, string>;
  /** A token for tenant `acme` signed by another key under the real key's kid. */
  forged: string;
  expired: string;
  /** A token of tenant `globex` presented on a request of tenant `acme`. */
  otherTenant: string;
  /** acme's analyst asking for a weight above her weight_level. */
  lowWeight: string;
}

export const DEMO_TENANTS: Record<string, { sub: string; tier: Tier; roles: string[] }> = {
  acme: { sub: 'alice', tier: 'interactive', roles: ['analyst'] },
  globex: { sub: 'bob', tier: 'standard', roles: ['analyst'] },
  initech: { sub: 'batch-runner', tier: 'batch', roles: ['analyst'] },
  hooli: { sub: 'burst-bot', tier: 'interactive', roles: ['analyst'] },
};

export async function demoTokens(
  keyDir: string,
  issuer: string,
  audience: string,
  now = Date.now(),
): Promise<DemoTokens> {
  if (!existsSync(join(keyDir, SIGNING_KEY_FILE))) await generateSigningKey(keyDir);
  const key = readPrivateJwk(join(keyDir, SIGNING_KEY_FILE));
  const base = { issuer, audience, ttlSec: 3600, weightLevel: 8 };
  const good: Record<string, string> = {};
  for (const [tenant, t] of Object.entries(DEMO_TENANTS)) {
    good[tenant] = await mintToken(key, { ...base, tenant, sub: t.sub, roles: t.roles, tier: t.tier });
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const impostor: JWK = { ...(await exportJWK(privateKey)), kid: key.kid, alg: 'ES256' };
  return {
    jwksFile: join(keyDir, JWKS_FILE),
    good,
    forged: await mintToken(impostor, { ...base, tenant: 'acme', sub: 'mallory', roles: ['admin'] }),
    expired: await mintToken(key, {
      ...base,
      tenant: 'acme',
      sub: 'alice',
      roles: ['analyst'],
      ttlSec: 60,
      now: Math.floor(now / 1000) - 3_600,
    }),
    otherTenant: good.globex!,
    lowWeight: await mintToken(key, {
      ...base,
      tenant: 'acme',
      sub: 'carol',
      roles: ['analyst'],
      weightLevel: 2,
    }),
  };
}
