import { z } from 'zod';

/** Asymmetric JWS algorithms the verifier may be configured to accept. `none` is not among them. */
export const ASYMMETRIC_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

// Auth stage settings. Owned by the auth stage; composed into the root schema in infra/config.
// Secrets never live here: an HMAC secret is read from a file or a named environment variable.
export const authConfigSchema = z
  .object({
    /** A local JWKS file (public keys); reloaded when it changes. */
    jwksFile: z.string().nullable().default(null),
    /** A remote JWKS URL (an IdP's jwks_uri); cached, refetched on an unknown `kid` after the cooldown. */
    jwksUrl: z.string().url().nullable().default(null),
    jwksCooldownMs: z.number().int().min(0).default(30_000),
    jwksCacheMaxAgeMs: z.number().int().min(0).default(600_000),
    jwksTimeoutMs: z.number().int().positive().default(5_000),
    /** The algorithm allowlist for public keys. */
    algorithms: z.array(z.enum(ASYMMETRIC_ALGORITHMS)).min(1).default(['ES256', 'EdDSA', 'RS256', 'PS256']),
    /** HMAC is off unless a secret is configured here (a file path or an environment variable's name). */
    hmacSecretFile: z.string().nullable().default(null),
    hmacSecretEnv: z.string().nullable().default(null),
    hmacAlgorithms: z.array(z.enum(HMAC_ALGORITHMS)).min(1).default(['HS256']),
    issuer: stringOrList.default('redline-dev'),
    audience: stringOrList.default('redline'),
    /** Expected `typ` header (compared as jose does: `application/` prefix optional, case-insensitive). */
    typ: z.string().min(1).default('JWT'),
    clockToleranceSec: z.number().int().min(0).default(30),
    /** Tokens issued (`iat`) longer ago than this are refused even before `exp`. */
    maxTokenAgeSec: z.number().int().positive().default(86_400),
    /** Size cap checked before any parsing. */
    maxTokenBytes: z
      .number()
      .int()
      .positive()
      .default(8 * 1024),
    /** Verified-token cache: bounded, and no entry outlives its token (nor this TTL, so key removal bites). */
    cacheMaxEntries: z.number().int().min(0).default(10_000),
    cacheMaxTtlMs: z.number().int().min(0).default(300_000),
    /** The RBAC policy file (YAML or JSON); hot-reloaded. */
    policyFile: z.string().nullable().default(null),
    /** Quiet time after a change to the policy or JWKS file before it is re-read. */
    reloadDebounceMs: z.number().int().min(0).default(100),
  })
  .refine((c) => !(c.jwksFile && c.jwksUrl), {
    message: 'set jwksFile or jwksUrl, not both',
    path: ['jwksUrl'],
  })
  .refine((c) => !(c.hmacSecretFile && c.hmacSecretEnv), {
    message: 'set hmacSecretFile or hmacSecretEnv, not both',
    path: ['hmacSecretEnv'],
  })
  .prefault({});

export type AuthConfig = z.infer<typeof authConfigSchema>;
