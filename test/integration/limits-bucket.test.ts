import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { limitsConfigSchema } from '../../workers/limits/config.ts';
import { RateLimiter } from '../../workers/limits/rate-limiter.ts';
import { redisUnderPrefix } from '../helpers/redis.ts';

// The per-tenant token bucket against the real Redis: its rate and burst hold within 5%, across
// two limiter instances on separate connections (as two enqueue processes would be).

const { prefix, connect, cleanup } = redisUnderPrefix('limits-bucket');
afterAll(cleanup);

/**
 * Offers `perTick` takes every `tickMs` from each limiter for `durationMs`; returns the admitted
 * count and the time between the first call and the last answer.
 */
async function offer(
  limiters: RateLimiter[],
  tenant: string,
  tier: 'interactive' | 'batch',
  durationMs: number,
  perTick: number,
  tickMs: number,
) {
  let admitted = 0;
  let offered = 0;
  const start = performance.now();
  const inflight: Array<Promise<void>> = [];
  while (performance.now() - start < durationMs) {
    for (const limiter of limiters) {
      for (let i = 0; i < perTick; i++) {
        offered++;
        inflight.push(
          limiter.take(tenant, tier).then((r) => {
            if (r.allowed) admitted++;
          }),
        );
      }
    }
    await sleep(tickMs);
  }
  await Promise.all(inflight);
  return { admitted, offered, elapsedS: (performance.now() - start) / 1000 };
}

describe('per-tenant token bucket (real Redis)', () => {
  it('admits burst + rate × time within 5% over 10 s, shared by two instances (reference: 100/s, burst 50)', async () => {
    const limits = limitsConfigSchema.parse({ keyPrefix: prefix });
    expect(limits.tiers.interactive).toEqual({ rate: 100, burst: 50 });
    const a = new RateLimiter(connect(), limits);
    const b = new RateLimiter(connect(), limits);
    // Offered: 2 instances × 3 per 10 ms ≈ 600/s (less on a loaded machine), well over 100/s.
    const { admitted, offered, elapsedS } = await offer([a, b], 'tenant-a', 'interactive', 10_000, 3, 10);
    const expected = 50 + 100 * elapsedS;
    expect(offered).toBeGreaterThan(2 * expected);
    expect(Math.abs(admitted - expected) / expected).toBeLessThan(0.05);
    // Another tenant is untouched by tenant-a's exhaustion.
    expect((await a.take('tenant-b', 'interactive')).allowed).toBe(true);
  }, 30_000);

  it('admits exactly the burst at once, then refuses with a retry-after near 1/rate', async () => {
    const limits = limitsConfigSchema.parse({
      keyPrefix: prefix,
      tiers: { interactive: { rate: 1, burst: 50 } },
    });
    const limiter = new RateLimiter(connect(), limits);
    const results = await Promise.all(
      Array.from({ length: 120 }, () => limiter.take('tenant-burst', 'interactive')),
    );
    const admitted = results.filter((r) => r.allowed).length;
    // At 1 token/s, the volley's own duration adds at most one token.
    expect(admitted).toBeGreaterThanOrEqual(50);
    expect(admitted).toBeLessThanOrEqual(51);
    const refused = results.filter((r) => !r.allowed);
    expect(refused.every((r) => r.retryAfterMs > 0 && r.retryAfterMs <= 1_000 && r.remaining === 0)).toBe(
      true,
    );
  });

  it('uses each tier its own rate and burst, in separate buckets', async () => {
    const limits = limitsConfigSchema.parse({ keyPrefix: prefix, tiers: { batch: { rate: 20, burst: 10 } } });
    const limiter = new RateLimiter(connect(), limits);
    const { admitted, elapsedS } = await offer([limiter], 'tenant-c', 'batch', 3_000, 1, 10);
    const expected = 10 + 20 * elapsedS;
    expect(Math.abs(admitted - expected) / expected).toBeLessThan(0.05);
    // The same tenant's interactive bucket is full.
    expect((await limiter.take('tenant-c', 'interactive')).remaining).toBe(49);
  });
});
