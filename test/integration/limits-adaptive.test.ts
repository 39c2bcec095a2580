import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { limitsConfigSchema } from '../../workers/limits/config.ts';
import { ModelHealth } from '../../workers/limits/health.ts';
import { RateLimiter } from '../../workers/limits/rate-limiter.ts';
import { redisUnderPrefix } from '../helpers/redis.ts';

// The adaptive per-model limit against the real Redis, with accelerated intervals: outcomes
// reported by two "workers" turn bad (errors, then slowness), the model's admitted rate drops to
// 30% of nominal and the enqueue-side bucket admits less; when they heal it climbs back.

const { prefix, connect, cleanup } = redisUnderPrefix('limits-adaptive');
afterAll(cleanup);

const limits = limitsConfigSchema.parse({
  keyPrefix: prefix,
  models: { default: { rate: 100, burst: 50 } },
  adaptive: {
    windowMs: 600,
    slotMs: 100,
    minSamples: 10,
    evalIntervalMs: 50,
    stepRate: 20,
    stepIntervalMs: 400,
    p99LatencyMs: 800,
  },
});

/** Two worker processes' reporters, sharing Redis. */
const workers = [new ModelHealth(connect(), limits), new ModelHealth(connect(), limits)];

/** Reports `outcome` from both workers every 20 ms until `until()` holds or `timeoutMs` passes; returns the rates seen. */
async function reportUntil(
  model: string,
  outcome: { ok: boolean; latencyMs: number; breakerOpen?: boolean },
  until: (rate: number) => boolean,
  timeoutMs: number,
): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await Promise.all(workers.map((w) => w.recordOutcome(model, outcome)));
    const rate = (await workers[0]?.state(model))?.rate;
    if (rate !== undefined && seen.at(-1) !== rate) seen.push(rate);
    if (rate !== undefined && until(rate)) return seen;
    await sleep(20);
  }
  return seen;
}

async function admittedInVolley(limiter: RateLimiter, model: string, tenant: string): Promise<number> {
  const results = await Promise.all(
    Array.from({ length: 100 }, () =>
      limiter.admit({ tenant, tier: 'interactive', model, n: 1, maxWaitMs: 0 }),
    ),
  );
  return results.filter((r) => r.allowed).length;
}

describe('adaptive per-model limit (real Redis, accelerated)', () => {
  it('drops to 30% of nominal when errors pass 30%, admits less, and climbs back +step while healthy', async () => {
    const model = 'flaky-errors';
    const healthy = await reportUntil(model, { ok: true, latencyMs: 20 }, () => false, 300);
    expect(healthy).toEqual([100]);

    const drop = await reportUntil(model, { ok: false, latencyMs: 20 }, (r) => r <= 30, 5_000);
    expect(drop.at(-1)).toBe(30);
    expect(await workers[1]?.state(model)).toMatchObject({ healthy: false, reason: 'errors' });

    // The enqueue side sees the cut: a volley admits the scaled burst (50 × 0.3), not 50.
    const limiter = new RateLimiter(connect(), {
      ...limits,
      tiers: { ...limits.tiers, interactive: { rate: 1_000, burst: 1_000 } },
    });
    const admittedWhileCut = await admittedInVolley(limiter, model, 't1');
    expect(admittedWhileCut).toBeGreaterThanOrEqual(15);
    expect(admittedWhileCut).toBeLessThanOrEqual(17);

    const recovery = await reportUntil(model, { ok: true, latencyMs: 20 }, (r) => r >= 100, 15_000);
    // Additive steps of +20 from the cut, never a jump straight back.
    expect(recovery).toEqual([30, 50, 70, 90, 100]);
    await sleep(1_100); // let the model bucket refill at the restored rate
    expect(await admittedInVolley(limiter, model, 't2')).toBeGreaterThanOrEqual(50);
  }, 40_000);

  it('drops when outcomes turn slow (p99 over 800 ms) and recovers when they speed up', async () => {
    const model = 'flaky-slow';
    await reportUntil(model, { ok: true, latencyMs: 30 }, () => false, 200);
    const drop = await reportUntil(model, { ok: true, latencyMs: 1_200 }, (r) => r <= 30, 5_000);
    expect(drop.at(-1)).toBe(30);
    expect((await workers[0]?.state(model))?.reason).toBe('latency');
    const recovery = await reportUntil(model, { ok: true, latencyMs: 30 }, (r) => r >= 100, 15_000);
    expect(recovery.at(-1)).toBe(100);
  }, 40_000);

  it('runs the AIMD controller when configured: backs off to what was served, probes back up', async () => {
    const aimdLimits = limitsConfigSchema.parse({
      ...limits,
      adaptive: { ...limits.adaptive, controller: 'aimd', aimd: { probeIntervalMs: 50 } },
    });
    const health = new ModelHealth(connect(), aimdLimits);
    const model = 'aimd';
    const report = async (ok: boolean, ms: number, stopAt?: number) => {
      const deadline = Date.now() + ms;
      const seen: number[] = [];
      while (Date.now() < deadline) {
        await Promise.all(
          Array.from({ length: 3 }, () => health.recordOutcome(model, { ok, latencyMs: 10 })),
        );
        const rate = (await health.state(model))?.rate;
        if (rate !== undefined && seen.at(-1) !== rate) seen.push(rate);
        if (rate === stopAt) break;
        await sleep(20);
      }
      return seen;
    };
    await report(true, 300);
    // Every call failing: nothing was served, so the rate goes to the floor (2% of nominal).
    const drop = await report(false, 400);
    expect(Math.min(...drop)).toBe(2);
    const recovery = await report(true, 10_000, 100);
    expect(recovery.at(-1)).toBe(100);
    // Up in steps of 5% of nominal, never in one jump.
    const steps = recovery.slice(1).map((r, i) => Math.round(r - (recovery[i] ?? 0)));
    expect(steps.every((d) => d <= 5)).toBe(true);
  }, 30_000);

  it('drops on an open breaker even before minSamples', async () => {
    const model = 'breaker';
    const drop = await reportUntil(
      model,
      { ok: false, latencyMs: 0, breakerOpen: true },
      (r) => r <= 30,
      3_000,
    );
    expect(drop.at(-1)).toBe(30);
  });
});
