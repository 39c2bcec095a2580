import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { RedlineError } from '../../pipeline/errors.ts';
import type { Tier } from '../../schemas/types.ts';
import { type LimitsConfig, modelBucketConfig } from './config.ts';
import { limitKeys } from './keys.ts';

// Per-tenant token buckets (one per tenant and tier) and the per-model bucket whose rate the
// adaptive controller sets, taken together in one Lua script (./take-tokens.lua) so that enqueue
// instances agree and a request refused by one bucket takes nothing from the other.

const TAKE_TOKENS = readFileSync(new URL('./take-tokens.lua', import.meta.url), 'utf8');
const COMMAND = 'redlineTakeTokens';

/** The brief answer of a plain per-tenant bucket. */
export interface TakeResult {
  allowed: boolean;
  /** When refused: how long until the tokens are there (or, with a wait allowance, until it would be admitted). */
  retryAfterMs: number;
  /** Whole tokens left in the tenant's bucket. */
  remaining: number;
}

/** The answer for an enqueue: both buckets, with a delay when tenant tokens were reserved ahead. */
export interface Admission extends TakeResult {
  /** Admitted with tokens reserved in the future: start the job no earlier than this. */
  delayMs: number;
  /** Which limit refused the request (null when admitted). */
  limitedBy: 'tenant' | 'model' | null;
  /** The model's admitted rate in req/s when the model bucket was consulted, else null. */
  modelRate: number | null;
}

export interface AdmissionRequest {
  tenant: string;
  tier: Tier;
  /** When given, the model's adaptive bucket must admit too. */
  model: string | null;
  n: number;
  /** How far ahead tenant tokens may be reserved (0: admit now or refuse). */
  maxWaitMs: number;
}

type TakeTokensCommand = (numKeys: number, ...args: Array<string | number>) => Promise<number[]>;

export class RateLimiter {
  readonly #redis: Redis;
  readonly #limits: LimitsConfig;
  readonly #keys: ReturnType<typeof limitKeys>;

  constructor(redis: Redis, limits: LimitsConfig) {
    this.#redis = redis;
    this.#limits = limits;
    this.#keys = limitKeys(limits.keyPrefix);
    // defineCommand sends EVALSHA and falls back to EVAL when Redis lacks the script.
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: TAKE_TOKENS });
  }

  /** Takes n tokens from the tenant's bucket for its tier, now or not at all. */
  async take(tenant: string, tier: Tier, n = 1): Promise<TakeResult> {
    const { allowed, retryAfterMs, remaining } = await this.admit({
      tenant,
      tier,
      model: null,
      n,
      maxWaitMs: 0,
    });
    return { allowed, retryAfterMs, remaining };
  }

  async admit(request: AdmissionRequest): Promise<Admission> {
    const { tenant, tier, model, n, maxWaitMs } = request;
    const bucket = this.#limits.tiers[tier];
    if (!(n > 0) || n > bucket.burst) {
      throw new RedlineError(
        'LIMIT_BAD_REQUEST',
        `cannot take ${n} tokens from a bucket of burst ${bucket.burst}`,
      );
    }
    const keys = [this.#keys.tenantBucket(tier, tenant)];
    const args: Array<string | number> = [n, Math.max(0, maxWaitMs), bucket.rate, bucket.burst];
    if (model !== null) {
      const nominal = modelBucketConfig(this.#limits, model);
      keys.push(this.#keys.modelBucket(model), this.#keys.modelRate(model));
      args.push(nominal.rate, nominal.burst);
    }
    const run = (this.#redis as unknown as Record<string, TakeTokensCommand>)[COMMAND] as TakeTokensCommand;
    const [allowed, delayMs, retryAfterMs, remaining, limitedBy, modelRateMilli] = await run.call(
      this.#redis,
      keys.length,
      ...keys,
      ...args,
    );
    return {
      allowed: allowed === 1,
      delayMs: delayMs ?? 0,
      retryAfterMs: retryAfterMs ?? 0,
      remaining: remaining ?? 0,
      limitedBy: limitedBy === 1 ? 'tenant' : limitedBy === 2 ? 'model' : null,
      modelRate: model === null ? null : (modelRateMilli ?? 0) / 1000,
    };
  }
}
