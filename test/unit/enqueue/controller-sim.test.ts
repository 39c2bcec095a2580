import { describe, expect, it } from 'vitest';
import { type AimdParams, aimdController } from '../../../workers/limits/aimd-controller.ts';
import { limitsConfigSchema } from '../../../workers/limits/config.ts';
import {
  type ControllerParams,
  EMPTY_OBSERVATION,
  initialState,
  referenceController,
} from '../../../workers/limits/controller.ts';
import { type Scenario, settleTime, simulate } from '../../../workers/limits/simulate.ts';

// The optional AIMD controller against the reference, on the same simulated backend: capacity
// drops from 100 to 40 req/s at t = 60 s and comes back at t = 420 s, under 150 req/s offered.

const adaptive = limitsConfigSchema.parse({}).adaptive;
const reference: ControllerParams = {
  nominal: 100,
  minSamples: adaptive.minSamples,
  errorRateThreshold: adaptive.errorRateThreshold,
  cutFactor: adaptive.cutFactor,
  stepRate: adaptive.stepRate,
  stepIntervalMs: adaptive.stepIntervalMs,
};
const aimd: AimdParams = { ...reference, slotMs: 1_000, aimd: adaptive.aimd };

const scenario: Scenario = {
  seconds: 900,
  windowSlots: 10,
  offered: 150,
  capacity: (t) => (t >= 60 && t < 420 ? 40 : 100),
};

const runReference = () =>
  simulate((s, o, n) => referenceController(s, o, n, reference), initialState(100, 0), scenario);
const runAimd = () => simulate((s, o, n) => aimdController(s, o, n, aimd), initialState(100, 0), scenario);

describe('aimdController vs the reference controller (simulated backend)', () => {
  it('reacts faster to the drop and to the recovery, with less overshoot and more goodput', () => {
    const ref = runReference();
    const better = runAimd();
    // Overshoot: requests admitted above capacity (they failed).
    expect(better.overshoot).toBeLessThan(ref.overshoot / 2);
    expect(better.goodput).toBeGreaterThan(ref.goodput);
    // Back within 10% of capacity: after the drop, and after capacity returns.
    expect(settleTime(better, 60)).toBeLessThanOrEqual(2);
    expect(settleTime(better, 420)).toBeLessThan(settleTime(ref, 420) / 5);
    // The reference saw-tooths: it cuts to 30 (below the capacity of 40) and climbs back past it.
    const refDuringDrop = ref.trace.slice(120, 420).map(([rate]) => rate);
    expect(Math.min(...refDuringDrop)).toBe(30);
    expect(Math.max(...refDuringDrop)).toBeGreaterThan(50);
    const aimdDuringDrop = better.trace.slice(120, 420).map(([rate]) => rate);
    expect(Math.min(...aimdDuringDrop)).toBeGreaterThanOrEqual(36);
    expect(Math.max(...aimdDuringDrop)).toBeLessThanOrEqual(46);
  });

  it('backs off to what the backend served when the limit binds', () => {
    const s = aimdController(
      initialState(100, 0),
      { ...EMPTY_OBSERVATION, samples: 100, errors: 60, recent: { samples: 100, errors: 60, slow: 0 } },
      1_000,
      aimd,
    );
    expect(s.rate).toBeCloseTo(38);
    expect(s.reason).toBe('errors');
  });

  it('with traffic well under the limit, cuts no deeper than the reference floor', () => {
    const s = aimdController(
      initialState(100, 0),
      { ...EMPTY_OBSERVATION, samples: 100, errors: 50, recent: { samples: 10, errors: 5, slow: 0 } },
      1_000,
      aimd,
    );
    expect(s.rate).toBe(30);
    const mild = aimdController(
      initialState(100, 0),
      { ...EMPTY_OBSERVATION, samples: 100, errors: 10, recent: { samples: 10, errors: 1, slow: 0 } },
      1_000,
      aimd,
    );
    expect(mild.rate).toBe(100);
  });

  it('holds while the window shows trouble, then probes up by 5% of nominal per interval', () => {
    const cut = { rate: 38, changedAt: 0, healthy: false, reason: 'errors' as const };
    const held = aimdController(
      cut,
      { ...EMPTY_OBSERVATION, samples: 500, errors: 60, recent: { samples: 38, errors: 0, slow: 0 } },
      5_000,
      aimd,
    );
    expect(held.rate).toBe(38);
    const probed = aimdController(
      cut,
      { ...EMPTY_OBSERVATION, samples: 380, recent: { samples: 38, errors: 0, slow: 0 } },
      11_000,
      aimd,
    );
    expect(probed.rate).toBe(43);
  });

  it('drops to the floor on an open breaker refusing everything', () => {
    const s = aimdController(
      initialState(100, 0),
      {
        samples: 100,
        errors: 100,
        slow: 0,
        breakerOpen: 100,
        recent: { samples: 100, errors: 100, slow: 0 },
      },
      1_000,
      aimd,
    );
    expect(s.rate).toBe(100 * adaptive.aimd.minFactor);
    expect(s.reason).toBe('breaker');
  });
});
