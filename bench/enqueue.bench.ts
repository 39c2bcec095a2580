import { Redis } from 'ioredis';
import { aimdController } from '../workers/limits/aimd-controller.ts';
import { limitsConfigSchema } from '../workers/limits/config.ts';
import { type ControllerParams, initialState, referenceController } from '../workers/limits/controller.ts';
import { RateLimiter } from '../workers/limits/rate-limiter.ts';
import { settleTime, simulate } from '../workers/limits/simulate.ts';
import type { BenchRow, BenchSection } from './types.ts';

// The enqueue limiters' cost in Redis: token-bucket takes per second (one Lua script call; the
// write path, as every take is admitted) as a ratio of bare INCR round trips on the same
// connection, at the same concurrency, measured in alternating rounds.

const CONCURRENCY = 32;

async function opsPerSecond(op: (i: number) => Promise<unknown>, count: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await op(next++);
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function run({ quick }: { quick: boolean }): Promise<BenchSection> {
  const prefix = `bench:enqueue:${process.pid}:${Date.now()}:`;
  const redis = new Redis(process.env.REDLINE_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const big = { rate: 1e9, burst: 1e9 };
  const limits = limitsConfigSchema.parse({
    keyPrefix: prefix,
    tiers: { interactive: big, standard: big, batch: big },
    models: { default: big },
  });
  const limiter = new RateLimiter(redis, limits);
  const count = quick ? 3_000 : 20_000;
  const rounds = quick ? 3 : 5;
  const incr: number[] = [];
  const take: number[] = [];
  const admit: number[] = [];
  try {
    await limiter.take('warm', 'interactive'); // loads the script
    for (let r = 0; r < rounds; r++) {
      incr.push(await opsPerSecond((i) => redis.incr(`${prefix}incr:${i % 100}`), count));
      take.push(await opsPerSecond((i) => limiter.take(`tenant-${i % 100}`, 'interactive'), count));
      admit.push(
        await opsPerSecond(
          (i) =>
            limiter.admit({
              tenant: `tenant-${i % 100}`,
              tier: 'standard',
              model: 'm',
              n: 1,
              maxWaitMs: 1_000,
            }),
          count,
        ),
      );
    }
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
  const baseline = { name: `bare Redis INCR round trips (${CONCURRENCY} in flight)`, value: median(incr) };
  const row = (name: string, value: number, notes: string): BenchRow => ({
    name,
    value,
    unit: 'ops/s',
    baseline,
    ratio: value / baseline.value,
    notes,
  });
  return {
    section: 'enqueue limiters',
    rows: [
      ...controllerRows(),
      row(
        'token bucket take (tenant bucket, Lua)',
        median(take),
        `median of ${rounds} alternating rounds of ${count}`,
      ),
      row(
        'enqueue admission (tenant + adaptive model bucket, one Lua call)',
        median(admit),
        `median of ${rounds} alternating rounds of ${count}`,
      ),
    ],
  };
}

/**
 * The adaptive controllers on the same simulated backend (workers/limits/simulate.ts): 150 req/s
 * offered, capacity 100 → 40 at t = 60 s → 100 at t = 420 s. Deterministic; the AIMD controller
 * against the reference one.
 */
function controllerRows(): BenchRow[] {
  const adaptive = limitsConfigSchema.parse({}).adaptive;
  const params: ControllerParams = {
    nominal: 100,
    minSamples: adaptive.minSamples,
    errorRateThreshold: adaptive.errorRateThreshold,
    cutFactor: adaptive.cutFactor,
    stepRate: adaptive.stepRate,
    stepIntervalMs: adaptive.stepIntervalMs,
  };
  const scenario = {
    seconds: 900,
    windowSlots: 10,
    offered: 150,
    capacity: (t: number) => (t >= 60 && t < 420 ? 40 : 100),
  };
  const ref = simulate((s, o, n) => referenceController(s, o, n, params), initialState(100, 0), scenario);
  const aimd = simulate(
    (s, o, n) => aimdController(s, o, n, { ...params, slotMs: 1_000, aimd: adaptive.aimd }),
    initialState(100, 0),
    scenario,
  );
  const row = (name: string, unit: string, value: number, baseline: number, notes: string): BenchRow => ({
    name,
    value,
    unit,
    baseline: { name: 'reference controller (cut to 30%, +5/s every 30 s)', value: baseline },
    ratio: value / baseline,
    goal: 'below 1 (AIMD better)',
    met: value < baseline,
    notes,
  });
  return [
    row(
      'AIMD controller: requests admitted over capacity',
      'requests',
      aimd.overshoot,
      ref.overshoot,
      'simulated, 900 s',
    ),
    row(
      'AIMD controller: time back within 10% of capacity after it returns',
      's',
      settleTime(aimd, 420),
      settleTime(ref, 420),
      'simulated',
    ),
  ];
}
