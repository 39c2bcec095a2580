import { Redis } from 'ioredis';
import { loadConfig } from '../../infra/config/load.ts';
import { createLogger, type Logger } from '../../infra/log.ts';
import { aimdController } from './aimd-controller.ts';
import { type LimitsConfig, modelBucketConfig } from './config.ts';
import {
  type ControllerParams,
  type ControllerState,
  EMPTY_OBSERVATION,
  initialState,
  type Observation,
  referenceController,
} from './controller.ts';
import { limitKeys } from './keys.ts';

// The thin Redis side of the adaptive per-model limit. Workers report each backend call's outcome
// into per-slot counters (a sliding window shared by every worker process); at most once per
// evalIntervalMs, one process (whoever takes the lock) runs the pure controller over the window
// and writes the model's admitted rate, which the enqueue stage's bucket script reads.

export interface Outcome {
  ok: boolean;
  latencyMs: number;
  /** The call was refused by an open circuit breaker (BACKEND_UNAVAILABLE). */
  breakerOpen?: boolean;
}

export class ModelHealth {
  readonly #redis: Redis;
  readonly #limits: LimitsConfig;
  readonly #keys: ReturnType<typeof limitKeys>;
  readonly #clock: () => number;
  readonly #logger: Logger | undefined;
  /** Per model, when this process last tried to evaluate (saves a Redis round trip per outcome). */
  readonly #lastAttempt = new Map<string, number>();

  constructor(redis: Redis, limits: LimitsConfig, options: { clock?: () => number; logger?: Logger } = {}) {
    this.#redis = redis;
    this.#limits = limits;
    this.#keys = limitKeys(limits.keyPrefix);
    this.#clock = options.clock ?? Date.now;
    this.#logger = options.logger;
  }

  /** Records one backend call's outcome. Never throws: health reporting must not fail a job. */
  recordOutcome = async (model: string, outcome: Outcome): Promise<void> => {
    try {
      const { slotMs, windowMs, p99LatencyMs } = this.#limits.adaptive;
      const now = this.#clock();
      const key = this.#keys.healthSlot(model, Math.floor(now / slotMs));
      const tx = this.#redis.multi().hincrby(key, 'n', 1);
      if (!outcome.ok) tx.hincrby(key, 'err', 1);
      if (outcome.latencyMs > p99LatencyMs) tx.hincrby(key, 'slow', 1);
      if (outcome.breakerOpen) tx.hincrby(key, 'bo', 1);
      await tx.pexpire(key, windowMs + 2 * slotMs).exec();
      await this.#maybeEvaluate(model, now);
    } catch (err) {
      this.#logger?.warn({ err, model }, 'adaptive limit: could not record an outcome');
    }
  };

  /** The window's counts as of `now`. */
  async observe(model: string, now = this.#clock()): Promise<Observation> {
    const { slotMs, windowMs } = this.#limits.adaptive;
    const last = Math.floor(now / slotMs);
    const slots = Math.max(1, Math.ceil(windowMs / slotMs));
    const tx = this.#redis.multi();
    for (let slot = last - slots + 1; slot <= last; slot++)
      tx.hmget(this.#keys.healthSlot(model, slot), 'n', 'err', 'slow', 'bo');
    const replies = (await tx.exec()) ?? [];
    const obs: Observation = { ...EMPTY_OBSERVATION };
    replies.forEach(([err, values], i) => {
      if (err) throw err;
      const [n = 0, errors = 0, slow = 0, bo = 0] = (values as Array<string | null>).map((v) =>
        Number(v ?? 0),
      );
      obs.samples += n;
      obs.errors += errors;
      obs.slow += slow;
      obs.breakerOpen += bo;
      // The last complete slot (the current one is still filling).
      if (i === replies.length - 2) obs.recent = { samples: n, errors, slow };
    });
    return obs;
  }

  async state(model: string): Promise<ControllerState | null> {
    const raw = await this.#redis.get(this.#keys.controller(model));
    return raw === null ? null : (JSON.parse(raw) as ControllerState);
  }

  /** Runs the controller once now (tests and the evaluation lock holder call this). */
  async evaluate(model: string, now = this.#clock()): Promise<ControllerState> {
    const params = this.params(model);
    const [previous, obs] = await Promise.all([this.state(model), this.observe(model, now)]);
    const state = previous ?? initialState(params.nominal, now);
    const next =
      this.#limits.adaptive.controller === 'aimd'
        ? aimdController(state, obs, now, {
            ...params,
            slotMs: this.#limits.adaptive.slotMs,
            aimd: this.#limits.adaptive.aimd,
          })
        : referenceController(state, obs, now, params);
    // The keys outlive the time a full recovery would take; with no traffic at all they lapse and
    // the model is back at nominal (no evidence of trouble), leaving nothing stale in Redis.
    const a = this.#limits.adaptive;
    const recoveryMs = Math.ceil(Math.max(0, params.nominal - next.rate) / a.stepRate) * a.stepIntervalMs;
    const ttlMs = recoveryMs + a.windowMs + a.stepIntervalMs;
    await this.#redis
      .multi()
      .set(this.#keys.controller(model), JSON.stringify(next), 'PX', ttlMs)
      .set(this.#keys.modelRate(model), String(next.rate), 'PX', ttlMs)
      .exec();
    if (previous && previous.rate !== next.rate) {
      this.#logger?.info(
        { model, from: previous.rate, to: next.rate, reason: next.reason, obs },
        'adaptive limit changed',
      );
    }
    return next;
  }

  params(model: string): ControllerParams {
    const a = this.#limits.adaptive;
    return {
      nominal: modelBucketConfig(this.#limits, model).rate,
      minSamples: a.minSamples,
      errorRateThreshold: a.errorRateThreshold,
      cutFactor: a.cutFactor,
      stepRate: a.stepRate,
      stepIntervalMs: a.stepIntervalMs,
    };
  }

  async #maybeEvaluate(model: string, now: number): Promise<void> {
    const interval = this.#limits.adaptive.evalIntervalMs;
    if (now - (this.#lastAttempt.get(model) ?? Number.NEGATIVE_INFINITY) < interval) return;
    this.#lastAttempt.set(model, now);
    const won = await this.#redis.set(this.#keys.controllerLock(model), '1', 'PX', interval, 'NX');
    if (won === 'OK') await this.evaluate(model, now);
  }
}

let defaultHealth: { health: ModelHealth; redis: Redis | null } | null = null;

/** Makes `recordOutcome` report through this instance (the worker command wires it at start-up). */
export function installModelHealth(health: ModelHealth): void {
  defaultHealth = { health, redis: null };
}

/**
 * Reports one backend call's outcome for `model` (the worker pool's OutcomeRecorder). Uses the
 * installed ModelHealth, or one built from the loaded configuration on first use.
 */
export async function recordOutcome(model: string, outcome: Outcome): Promise<void> {
  if (defaultHealth === null) {
    const logger = createLogger('limits');
    try {
      const config = loadConfig();
      // Best effort: with Redis away, a report fails fast instead of holding up its caller.
      const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
      defaultHealth = { health: new ModelHealth(redis, config.workers.limits, { logger }), redis };
    } catch (err) {
      // Like ModelHealth.recordOutcome: reporting never fails the caller's job.
      logger.warn({ err }, 'adaptive limit: no configuration to report outcomes with');
      return;
    }
  }
  await defaultHealth.health.recordOutcome(model, outcome);
}

/** Closes the connection `recordOutcome` opened for itself, if it did. */
export async function closeModelHealth(): Promise<void> {
  const current = defaultHealth;
  defaultHealth = null;
  await current?.redis?.quit();
}
