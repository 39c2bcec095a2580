import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWK,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
  errors as joseErrors,
} from 'jose';
import type { Logger } from '../../infra/log.ts';
import { RedlineError } from '../errors.ts';
import { AUTH_CODES, AUTH_KEYS_UNAVAILABLE } from './codes.ts';
import { watchFile } from './file-watch.ts';

/** Headers that carry or point to a key. redline only trusts its configured keys, so a token naming its own is refused. */
const KEY_CARRYING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

/** HS256 needs at least a 256-bit secret (RFC 7518 §3.2). */
export const MIN_HMAC_SECRET_BYTES = 32;

export interface KeySourceOptions {
  jwksFile?: string | null;
  jwksUrl?: string | null;
  /** Raw bytes of the HMAC secret; only then are HS* tokens verifiable. */
  hmacSecret?: Uint8Array | null;
  jwksCooldownMs?: number;
  jwksCacheMaxAgeMs?: number;
  jwksTimeoutMs?: number;
  reloadDebounceMs?: number;
  logger?: Logger;
}

export interface KeySource {
  getKey: JWTVerifyGetKey;
  /** Where the public keys come from, for logs. */
  describe(): string;
  /** Re-reads a local JWKS file now (the watcher calls this); false when the new file is refused. */
  reload(): boolean;
  close(): void;
}

/** Parses a JWKS and refuses private or symmetric members: a JWKS publishes public keys only. */
export function parsePublicJwks(text: string, origin: string): JSONWebKeySet {
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch (err) {
    throw new RedlineError('AUTH_JWKS_INVALID', `${origin}: not JSON: ${(err as Error).message}`);
  }
  const keys = (jwks as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.some((k) => !k || typeof k !== 'object')) {
    throw new RedlineError('AUTH_JWKS_INVALID', `${origin}: not a JSON Web Key Set ({"keys": [...]})`);
  }
  for (const key of keys as JWK[]) {
    if (key.kty === 'oct' || key.d !== undefined) {
      throw new RedlineError(
        'AUTH_JWKS_INVALID',
        `${origin}: holds a private or symmetric key (kid ${JSON.stringify(key.kid ?? null)}); publish public keys only`,
      );
    }
  }
  // Validates key shapes up front (jose throws JWKSInvalid on a malformed set).
  createLocalJWKSet(jwks as JSONWebKeySet);
  return jwks as JSONWebKeySet;
}

type KeyResolver = (
  header: JWSHeaderParameters,
  token: Parameters<JWTVerifyGetKey>[1],
) => ReturnType<JWTVerifyGetKey>;

function keySetFromFile(file: string): KeyResolver {
  return createLocalJWKSet(parsePublicJwks(readFileSync(file, 'utf8'), file));
}

/** Errors that say the token names no usable key, as opposed to the key set being unreachable. */
function isTokenKeyError(err: unknown): boolean {
  return (
    err instanceof joseErrors.JWKSNoMatchingKey ||
    err instanceof joseErrors.JWKSMultipleMatchingKeys ||
    err instanceof joseErrors.JOSENotSupported
  );
}

export function createKeySource(options: KeySourceOptions): KeySource {
  const { jwksFile, jwksUrl, hmacSecret, logger } = options;
  if (hmacSecret && hmacSecret.byteLength < MIN_HMAC_SECRET_BYTES) {
    throw new RedlineError('AUTH_CONFIG', `the HMAC secret must be at least ${MIN_HMAC_SECRET_BYTES} bytes`);
  }
  if (!jwksFile && !jwksUrl && !hmacSecret) {
    throw new RedlineError(
      'AUTH_CONFIG',
      'no keys configured: set auth.jwksFile, auth.jwksUrl or an HMAC secret',
    );
  }

  let publicKeys: KeyResolver | undefined;
  let watch: { close(): void } | undefined;
  const reload = (): boolean => {
    if (!jwksFile) return false;
    try {
      publicKeys = keySetFromFile(jwksFile);
      logger?.info({ jwksFile }, 'jwks loaded');
      return true;
    } catch (err) {
      logger?.error(
        { jwksFile, code: (err as RedlineError).code, reason: (err as Error).message },
        'jwks reload refused; the previous keys stay in force',
      );
      return false;
    }
  };
  if (jwksFile) {
    publicKeys = keySetFromFile(jwksFile);
    watch = watchFile(jwksFile, options.reloadDebounceMs ?? 100, reload);
  } else if (jwksUrl) {
    const remote = createRemoteJWKSet(new URL(jwksUrl), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
      timeoutDuration: options.jwksTimeoutMs ?? 5_000,
    });
    publicKeys = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (err) {
        if (isTokenKeyError(err)) throw err;
        // The IdP is down or answered garbage: not the request's fault, so not a rejection.
        throw new RedlineError(
          AUTH_KEYS_UNAVAILABLE,
          `jwks ${jwksUrl} unavailable: ${(err as Error).message}`,
          { cause: err, retryable: true },
        );
      }
    };
  }

  const getKey: JWTVerifyGetKey = (header, token) => {
    for (const name of KEY_CARRYING_HEADERS) {
      if (header[name] !== undefined) {
        throw new RedlineError(
          AUTH_CODES.unknownKey,
          `the token names its own key ("${name}" header); only configured keys are trusted`,
        );
      }
    }
    if (header.alg?.startsWith('HS')) {
      // Only reachable when HS* is allowlisted, which needs a configured secret; the secret is
      // never derived from a public key.
      if (!hmacSecret) throw new RedlineError(AUTH_CODES.algNotAllowed, 'HMAC tokens are not accepted');
      return hmacSecret;
    }
    if (!publicKeys) throw new RedlineError(AUTH_CODES.unknownKey, 'no public keys are configured');
    return publicKeys(header, token);
  };

  return {
    getKey,
    describe: () => (jwksFile ? `file ${jwksFile}` : jwksUrl ? `url ${jwksUrl}` : 'hmac secret'),
    reload,
    close: () => watch?.close(),
  };
}
