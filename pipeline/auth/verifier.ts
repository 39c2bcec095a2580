import {
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { isRedlineError, RedlineError } from '../errors.ts';
import { describeClaimsError, principalFrom, redlineClaimsSchema, type VerifiedToken } from './claims.ts';
import { AUTH_CODES, AUTH_KEYS_UNAVAILABLE, type AuthCode } from './codes.ts';
import { VerifiedTokenCache } from './token-cache.ts';

export interface VerifierOptions {
  getKey: JWTVerifyGetKey;
  /** The full allowlist (asymmetric, plus HMAC only when a secret is configured). */
  algorithms: string[];
  issuer: string | string[];
  audience: string | string[];
  typ: string;
  clockToleranceSec: number;
  maxTokenAgeSec: number;
  maxTokenBytes: number;
  cacheMaxEntries: number;
  cacheMaxTtlMs: number;
}

export type VerifyOutcome =
  | { readonly ok: true; readonly token: VerifiedToken }
  | { readonly ok: false; readonly code: AuthCode; readonly detail: string };

const refuse = (code: AuthCode, detail: string): VerifyOutcome => ({ ok: false, code, detail });

/** A compact JWS: three base64url segments (the signature may be empty, which then fails to verify). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface TokenVerifier {
  /** The cached verification of this token, if any (synchronous: the hot path of token reuse). */
  cached(token: string, now: number): VerifiedToken | undefined;
  verify(token: string | null | undefined, now: number): Promise<VerifyOutcome>;
  readonly cache: VerifiedTokenCache<VerifiedToken>;
}

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const cache = new VerifiedTokenCache<VerifiedToken>(options.cacheMaxEntries, options.cacheMaxTtlMs);
  const base: JWTVerifyOptions = {
    algorithms: options.algorithms,
    issuer: options.issuer,
    audience: options.audience,
    typ: options.typ,
    clockTolerance: options.clockToleranceSec,
    maxTokenAge: options.maxTokenAgeSec,
    requiredClaims: ['exp', 'iat', 'sub'],
  };
  const toleranceMs = options.clockToleranceSec * 1000;

  // A UTF-16 length above the cap is over it in bytes too; only a long-enough string can be over
  // in UTF-8 bytes while under in length (3 bytes per unit at most), so only those are measured.
  const tooLarge = (token: string) =>
    token.length > options.maxTokenBytes ||
    (token.length * 3 > options.maxTokenBytes && Buffer.byteLength(token) > options.maxTokenBytes);

  // The core asks `cached` and then, on a miss, `verify` for the same token: hash it once.
  let lastToken: string | undefined;
  let lastKey = '';
  const keyOf = (token: string) => {
    if (token !== lastToken) {
      lastKey = VerifiedTokenCache.keyOf(token);
      lastToken = token;
    }
    return lastKey;
  };

  const stripBearer = (token: string) =>
    token.startsWith('Bearer ') ? token.slice('Bearer '.length) : token;

  function cached(raw: string, now: number): VerifiedToken | undefined {
    if (raw.length === 0 || tooLarge(raw)) return undefined;
    return cache.get(keyOf(stripBearer(raw)), now);
  }

  async function verify(raw: string | null | undefined, now: number): Promise<VerifyOutcome> {
    if (raw === null || raw === undefined || raw.length === 0) {
      return refuse(AUTH_CODES.missing, 'the request carries no token');
    }
    // The size cap comes before anything reads the token.
    if (tooLarge(raw)) {
      return refuse(AUTH_CODES.tooLarge, `the token is larger than ${options.maxTokenBytes} bytes`);
    }
    const token = stripBearer(raw);
    const key = keyOf(token);
    const hit = cache.get(key, now);
    if (hit) return { ok: true, token: hit };
    if (!COMPACT_JWS.test(token)) {
      return refuse(AUTH_CODES.malformed, 'the token is not a compact JWS (three base64url segments)');
    }

    let payload: JWTPayload;
    try {
      payload = await verifyWithJose(token, options.getKey, { ...base, currentDate: new Date(now) });
    } catch (err) {
      return classify(err);
    }
    const claims = redlineClaimsSchema.safeParse(payload);
    if (!claims.success) return refuse(AUTH_CODES.claims, describeClaimsError(claims.error));

    const verified = principalFrom(claims.data);
    // jose accepts until exp + tolerance and iat + maxTokenAge + tolerance; the entry dies then too.
    const exp = (payload.exp as number) * 1000 + toleranceMs;
    const maxAge = ((payload.iat as number) + options.maxTokenAgeSec) * 1000 + toleranceMs;
    cache.set(key, verified, now, Math.min(exp, maxAge));
    return { ok: true, token: verified };
  }

  return { cached, verify, cache };
}

/** jwtVerify, also trying each candidate when a key set has several keys that fit a token without `kid`. */
async function verifyWithJose(token: string, getKey: JWTVerifyGetKey, options: JWTVerifyOptions) {
  try {
    return (await jwtVerify(token, getKey, options)).payload;
  } catch (err) {
    if (!(err instanceof joseErrors.JWKSMultipleMatchingKeys)) throw err;
    let last: unknown = err;
    for await (const candidate of err) {
      try {
        return (await jwtVerify(token, candidate, options)).payload;
      } catch (inner) {
        if (!(inner instanceof joseErrors.JWSSignatureVerificationFailed)) throw inner;
        last = inner;
      }
    }
    throw last instanceof joseErrors.JWKSMultipleMatchingKeys ? new joseErrors.JWKSNoMatchingKey() : last;
  }
}

/** Maps a verification failure to a reason code. Details are fixed texts: never the token, never a claim value. */
function classify(err: unknown): VerifyOutcome {
  if (isRedlineError(err)) {
    if (err.code === AUTH_KEYS_UNAVAILABLE) throw err;
    if ((Object.values(AUTH_CODES) as string[]).includes(err.code))
      return refuse(err.code as AuthCode, err.message);
    throw err;
  }
  if (err instanceof joseErrors.JWTExpired) {
    return refuse(
      AUTH_CODES.expired,
      err.claim === 'iat' ? 'the token is older than the maximum token age' : 'the token has expired',
    );
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return refuse(AUTH_CODES.notYetValid, 'the token is not valid yet (nbf)');
    if (err.claim === 'iat' && err.reason === 'check_failed') {
      return refuse(AUTH_CODES.notYetValid, 'the token was issued in the future (iat)');
    }
    if (err.claim === 'typ') return refuse(AUTH_CODES.claims, 'unexpected "typ" header');
    return refuse(
      AUTH_CODES.claims,
      err.reason === 'missing'
        ? `missing required claim "${err.claim}"`
        : `claim "${err.claim}" check failed`,
    );
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return refuse(AUTH_CODES.algNotAllowed, 'algorithm not allowed');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return refuse(AUTH_CODES.badSignature, 'signature verification failed');
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey) {
    return refuse(AUTH_CODES.unknownKey, 'no configured key matches the token (kid/alg)');
  }
  if (err instanceof joseErrors.JOSENotSupported) {
    return refuse(
      AUTH_CODES.malformed,
      'the token uses an unsupported header (e.g. an unknown "crit" entry)',
    );
  }
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) {
    return refuse(AUTH_CODES.malformed, 'the token is malformed (header, payload or encoding)');
  }
  throw new RedlineError(
    'AUTH_VERIFY_ERROR',
    `token verification failed unexpectedly: ${(err as Error).message}`,
    {
      cause: err,
    },
  );
}
