import { readFileSync } from 'node:fs';
import type { Logger } from '../../infra/log.ts';
import type { AuthorizedRequest, InferenceRequest } from '../../schemas/types.ts';
import { RedlineError } from '../errors.ts';
import type { StageCore } from '../verdict.ts';
import type { AuthConfig } from './config.ts';
import { createAuthCore } from './core.ts';
import { createKeySource, type KeySource } from './keys.ts';
import { DENY_ALL } from './policy.ts';
import { PolicyStore } from './policy-store.ts';
import { createTokenVerifier, type TokenVerifier } from './verifier.ts';

export interface Auth {
  core: StageCore<InferenceRequest, AuthorizedRequest>;
  verifier: TokenVerifier;
  keys: KeySource;
  policy: PolicyStore | null;
  close(): Promise<void>;
}

/** The HMAC secret, only from where the config explicitly points (a file or a named environment variable). */
export function readHmacSecret(config: AuthConfig, env: NodeJS.ProcessEnv = process.env): Uint8Array | null {
  if (config.hmacSecretFile) return new Uint8Array(readFileSync(config.hmacSecretFile));
  if (config.hmacSecretEnv) {
    const value = env[config.hmacSecretEnv];
    if (!value)
      throw new RedlineError('AUTH_CONFIG', `environment variable ${config.hmacSecretEnv} is not set`);
    return new TextEncoder().encode(value);
  }
  return null;
}

/** Builds the auth core from its config section: keys, verifier (with its cache) and hot-reloading policy. */
export function createAuth(config: AuthConfig, logger?: Logger, env?: NodeJS.ProcessEnv): Auth {
  const hmacSecret = readHmacSecret(config, env);
  const keys = createKeySource({
    jwksFile: config.jwksFile,
    jwksUrl: config.jwksUrl,
    hmacSecret,
    jwksCooldownMs: config.jwksCooldownMs,
    jwksCacheMaxAgeMs: config.jwksCacheMaxAgeMs,
    jwksTimeoutMs: config.jwksTimeoutMs,
    reloadDebounceMs: config.reloadDebounceMs,
    ...(logger ? { logger } : {}),
  });
  const verifier = createTokenVerifier({
    getKey: keys.getKey,
    algorithms: [...config.algorithms, ...(hmacSecret ? config.hmacAlgorithms : [])],
    issuer: config.issuer,
    audience: config.audience,
    typ: config.typ,
    clockToleranceSec: config.clockToleranceSec,
    maxTokenAgeSec: config.maxTokenAgeSec,
    maxTokenBytes: config.maxTokenBytes,
    cacheMaxEntries: config.cacheMaxEntries,
    cacheMaxTtlMs: config.cacheMaxTtlMs,
  });
  let policy: PolicyStore | null = null;
  try {
    policy = config.policyFile
      ? new PolicyStore(config.policyFile, logger, { debounceMs: config.reloadDebounceMs })
      : null;
  } catch (err) {
    keys.close();
    throw err;
  }
  if (!policy) logger?.warn('no auth.policyFile configured: every request is denied (RBAC_DENIED)');
  const store = policy;
  const core = createAuthCore({ verifier, policy: store ? () => store.current() : () => DENY_ALL });
  logger?.info(
    { keys: keys.describe(), algorithms: config.algorithms, hmac: hmacSecret !== null },
    'auth core ready',
  );
  return {
    core,
    verifier,
    keys,
    policy,
    close: async () => {
      keys.close();
      policy?.close();
    },
  };
}
