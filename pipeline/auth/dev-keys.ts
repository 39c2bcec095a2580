import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { Tier } from '../../schemas/types.ts';
import { RedlineError } from '../errors.ts';
import { ASYMMETRIC_ALGORITHMS } from './config.ts';
import { parsePublicJwks } from './keys.ts';

// Developer tooling behind `redline keys generate` and `redline token mint`: a signing key pair,
// a JWKS to verify with, and tokens that carry redline's claims.

export const SIGNING_KEY_FILE = 'signing-key.jwk.json';
export const JWKS_FILE = 'jwks.json';

export type SigningAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export interface GeneratedKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKeyFile: string;
  jwksFile: string;
  /** How many public keys the JWKS now holds (more than one after a rotation). */
  jwksKeys: number;
}

/**
 * Writes a new signing key (private JWK, mode 0600) and adds its public half to DIR/jwks.json.
 * Public keys already in the JWKS stay, so tokens signed before a rotation keep verifying until
 * they expire. The `kid` is the key's RFC 7638 thumbprint.
 */
export async function generateSigningKey(
  dir: string,
  options: { alg?: SigningAlgorithm; force?: boolean } = {},
): Promise<GeneratedKey> {
  const alg = options.alg ?? 'ES256';
  const privateKeyFile = join(dir, SIGNING_KEY_FILE);
  const jwksFile = join(dir, JWKS_FILE);
  if (existsSync(privateKeyFile) && !options.force) {
    throw new RedlineError('KEY_EXISTS', `${privateKeyFile} exists; pass --force to replace the signing key`);
  }
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const published: JWK = { ...publicJwk, kid, alg, use: 'sig' };
  const keys = existsSync(jwksFile)
    ? (parsePublicJwks(readFileSync(jwksFile, 'utf8'), jwksFile).keys as JWK[]).filter((k) => k.kid !== kid)
    : [];
  keys.push(published);
  writeFileSync(
    privateKeyFile,
    `${JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg }, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
  writeFileSync(jwksFile, `${JSON.stringify({ keys }, null, 2)}\n`);
  return { kid, alg, privateKeyFile, jwksFile, jwksKeys: keys.length };
}

export interface MintOptions {
  sub: string;
  tenant: string;
  roles: string[];
  models?: string[];
  weightLevel?: number;
  tier?: Tier;
  ttlSec: number;
  issuer: string;
  audience: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
}

/** Signs a token with a private JWK as written by generateSigningKey (its `alg` and `kid` go in the header). */
export async function mintToken(privateJwk: JWK, options: MintOptions): Promise<string> {
  const alg = privateJwk.alg;
  if (!alg || !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg) || privateJwk.d === undefined) {
    throw new RedlineError(
      'INVALID_REQUEST',
      'the key file is not a private signing JWK with an asymmetric "alg"',
    );
  }
  const key = await importJWK(privateJwk, alg);
  const iat = options.now ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { tenant: options.tenant, roles: options.roles };
  if (options.models) claims.models = options.models;
  if (options.weightLevel !== undefined) claims.weight_level = options.weightLevel;
  if (options.tier) claims.tier = options.tier;
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT', ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) })
    .setSubject(options.sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + options.ttlSec)
    .sign(key);
}

export function readPrivateJwk(file: string): JWK {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (err) {
    throw new RedlineError('INVALID_REQUEST', `${file}: cannot read a JWK: ${(err as Error).message}`);
  }
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `10m`, `2h`, `1d` → seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!match || Number(match[1]) <= 0) {
    throw new RedlineError(
      'INVALID_REQUEST',
      `bad --ttl "${text}": use a number and a unit, e.g. 90s, 10m, 2h, 1d`,
    );
  }
  return Number(match[1]) * (UNIT_SECONDS[match[2]!] ?? 1);
}
