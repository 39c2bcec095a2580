import { sign as cryptoSign, KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { type Auth, createAuth } from '../../../pipeline/auth/build.ts';
import { type AuthConfig, authConfigSchema } from '../../../pipeline/auth/config.ts';
import type { InferenceRequest } from '../../../schemas/types.ts';
import { makeRequest } from '../../helpers/requests.ts';

// Shared by the auth tests: real keys, real files, real jose; nothing stands in for the verifier.

export const ISSUER = 'redline-dev';
export const AUDIENCE = 'redline';

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(kid: string, alg = 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, privateKey, publicJwk };
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'redline-auth-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeJwks(file: string, keys: TestKey[]): void {
  writeFileSync(file, JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
}

export const POLICY_YAML = `version: 1
rules:
  - { model: "llama-*", role: analyst, operation: chat, min_weight: 1, max_weight: 10 }
  - { model: "org/big-*", role: admin, operation: "*", min_weight: 5, max_weight: 50 }
`;

export interface Claims {
  sub?: unknown;
  tenant?: unknown;
  roles?: unknown;
  models?: unknown;
  weight_level?: unknown;
  tier?: unknown;
  [k: string]: unknown;
}

export const baseClaims = (): Claims => ({ sub: 'user-1', tenant: 'acme', roles: ['analyst'] });

/** A well-formed token from `key`, with overrides of claims, header and times (seconds). */
export async function mint(
  key: TestKey,
  now: number,
  opts: {
    claims?: Claims;
    header?: Record<string, unknown>;
    iat?: number;
    exp?: number;
    nbf?: number;
    iss?: string;
    aud?: string;
    alg?: string;
  } = {},
): Promise<string> {
  const nowSec = Math.floor(now / 1000);
  const jwt = new SignJWT({ ...baseClaims(), ...opts.claims } as Record<string, unknown>)
    .setProtectedHeader({ alg: opts.alg ?? 'ES256', kid: key.kid, typ: 'JWT', ...opts.header })
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(opts.iat ?? nowSec)
    .setExpirationTime(opts.exp ?? nowSec + 600);
  if (opts.nbf !== undefined) jwt.setNotBefore(opts.nbf);
  return jwt.sign(key.privateKey);
}

export const b64url = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');

/** Signs arbitrary header and payload bytes with ES256 (jose refuses to build the hostile ones). */
export function signRaw(header: unknown, payload: unknown, key: CryptoKey): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
  const signature = cryptoSign('sha256', Buffer.from(input), {
    key: KeyObject.from(key),
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${b64url(signature)}`;
}

export function request(token: string | null, overrides: Partial<InferenceRequest> = {}): InferenceRequest {
  return makeRequest({
    requestId: 'req-1',
    model: 'llama-3-8b',
    prompt: 'hello',
    parameters: { maxTokens: 16, temperature: 0.5, weight: 5 },
    createdAt: 0,
    token,
    ...overrides,
  });
}

export interface Fixture {
  dir: string;
  key: TestKey;
  jwksFile: string;
  policyFile: string;
  config: AuthConfig;
  auth: Auth;
  cleanup(): Promise<void>;
}

export async function fixture(overrides: Partial<AuthConfig> = {}, keys?: TestKey[]): Promise<Fixture> {
  const { dir, cleanup } = tempDir();
  const key = keys?.[0] ?? (await makeKey('k1'));
  const jwksFile = join(dir, 'jwks.json');
  const policyFile = join(dir, 'policy.yaml');
  writeJwks(jwksFile, keys ?? [key]);
  writeFileSync(policyFile, POLICY_YAML);
  const config = authConfigSchema.parse({ jwksFile, policyFile, reloadDebounceMs: 20, ...overrides });
  const auth = createAuth(config);
  return {
    dir,
    key,
    jwksFile,
    policyFile,
    config,
    auth,
    cleanup: async () => {
      await auth.close();
      cleanup();
    },
  };
}
