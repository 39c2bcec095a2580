import { describe, expect, it } from 'vitest';
import {
  type ControllerParams,
  type ControllerState,
  EMPTY_OBSERVATION,
  initialState,
  type Observation,
  referenceController,
  unhealthyReason,
} from '../../../workers/limits/controller.ts';

const params: ControllerParams = {
  nominal: 100,
  minSamples: 20,
  errorRateThreshold: 0.3,
  cutFactor: 0.3,
  stepRate: 5,
  stepIntervalMs: 30_000,
};

const obs = (o: Partial<Observation>): Observation => ({ ...EMPTY_OBSERVATION, ...o });
const healthy = obs({ samples: 100, errors: 5, slow: 1 });

describe('unhealthyReason', () => {
  it('is null for a healthy window and for too few samples', () => {
    expect(unhealthyReason(healthy, params)).toBeNull();
    expect(unhealthyReason(obs({ samples: 10, errors: 10 }), params)).toBeNull();
    expect(unhealthyReason(EMPTY_OBSERVATION, params)).toBeNull();
  });

  it('flags an error rate above the threshold, not at it', () => {
    expect(unhealthyReason(obs({ samples: 100, errors: 31 }), params)).toBe('errors');
    expect(unhealthyReason(obs({ samples: 100, errors: 30 }), params)).toBeNull();
  });

  it('flags p99 above the threshold: more than 1% of outcomes slower than it', () => {
    expect(unhealthyReason(obs({ samples: 100, slow: 2 }), params)).toBe('latency');
    expect(unhealthyReason(obs({ samples: 100, slow: 1 }), params)).toBeNull();
  });

  it('flags an open breaker even with few samples', () => {
    expect(unhealthyReason(obs({ samples: 1, breakerOpen: 1 }), params)).toBe('breaker');
  });
});

describe('referenceController', () => {
  it('keeps the nominal rate while healthy', () => {
    const s = referenceController(initialState(100, 0), healthy, 1_000, params);
    expect(s.rate).toBe(100);
    expect(s.healthy).toBe(true);
  });

  it('cuts to 30% of nominal at once when errors pass 30%, and does not compound', () => {
    const cut = referenceController(initialState(100, 0), obs({ samples: 50, errors: 20 }), 1_000, params);
    expect(cut).toMatchObject({ rate: 30, healthy: false, reason: 'errors', changedAt: 1_000 });
    const again = referenceController(cut, obs({ samples: 50, errors: 20 }), 2_000, params);
    expect(again.rate).toBe(30);
  });

  it('cuts on slowness too', () => {
    expect(referenceController(initialState(100, 0), obs({ samples: 50, slow: 10 }), 1, params).rate).toBe(
      30,
    );
  });

  it('climbs +5 every 30 s while healthy, timed from the last bad window, up to nominal', () => {
    let s: ControllerState = referenceController(
      initialState(100, 0),
      obs({ samples: 50, errors: 50 }),
      0,
      params,
    );
    const rates: number[] = [];
    // Evaluated every second for 10 minutes.
    for (let t = 1_000; t <= 600_000; t += 1_000) {
      s = referenceController(s, healthy, t, params);
      if (rates.at(-1) !== s.rate) rates.push(s.rate);
    }
    expect(rates).toEqual([30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100]);
    // 14 steps of 30 s each.
    const t0 = 0;
    let t = t0;
    s = referenceController(initialState(100, 0), obs({ samples: 50, errors: 50 }), t0, params);
    while (s.rate < 100) {
      t += 1_000;
      s = referenceController(s, healthy, t, params);
    }
    expect(t - t0).toBe(14 * 30_000);
  });

  it('a bad window during recovery cuts again and restarts the step timer', () => {
    let s = referenceController(initialState(100, 0), obs({ samples: 50, errors: 50 }), 0, params);
    s = referenceController(s, healthy, 30_000, params);
    s = referenceController(s, healthy, 60_000, params);
    expect(s.rate).toBe(40);
    s = referenceController(s, obs({ samples: 50, breakerOpen: 5, errors: 5 }), 61_000, params);
    expect(s).toMatchObject({ rate: 30, reason: 'breaker' });
    s = referenceController(s, healthy, 90_000, params);
    expect(s.rate).toBe(30);
    s = referenceController(s, healthy, 91_000, params);
    expect(s.rate).toBe(35);
  });

  it('never exceeds a lowered nominal', () => {
    const s = referenceController({ rate: 100, changedAt: 0, healthy: true, reason: null }, healthy, 1, {
      ...params,
      nominal: 60,
    });
    expect(s.rate).toBe(60);
  });
});
