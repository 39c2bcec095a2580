import type { ControllerState, Observation } from './controller.ts';

// A deterministic, discrete-time model of one backend behind the adaptive limit, for comparing
// controllers (test/unit/enqueue/controller-sim.test.ts, bench/enqueue.bench.ts). Each second the
// admitted rate is min(offered, limit); requests above the backend's capacity fail. Observations
// are summed over a sliding window of one-second slots, as ./health.ts does in Redis.

export type Controller = (state: ControllerState, obs: Observation, now: number) => ControllerState;

export interface Scenario {
  seconds: number;
  windowSlots: number;
  offered: number;
  /** Backend capacity (req/s) at second t. */
  capacity: (t: number) => number;
}

export interface SimulationReport {
  /** Requests admitted above capacity (they failed): the cost of overshoot. */
  overshoot: number;
  /** Requests that succeeded. */
  goodput: number;
  /** Per second: [admitted limit, capacity]. */
  trace: Array<[number, number]>;
}

export function simulate(
  controller: Controller,
  initial: ControllerState,
  scenario: Scenario,
): SimulationReport {
  const slots: Observation[] = [];
  let state = initial;
  let overshoot = 0;
  let goodput = 0;
  const trace: Array<[number, number]> = [];
  for (let t = 0; t < scenario.seconds; t++) {
    const capacity = scenario.capacity(t);
    const admitted = Math.min(scenario.offered, state.rate);
    const failed = Math.max(0, admitted - capacity);
    overshoot += failed;
    goodput += admitted - failed;
    trace.push([state.rate, capacity]);
    slots.push({ samples: admitted, errors: failed, slow: 0, breakerOpen: 0 });
    if (slots.length > scenario.windowSlots) slots.shift();
    const obs = slots.reduce(
      (a, s) => ({
        samples: a.samples + s.samples,
        errors: a.errors + s.errors,
        slow: a.slow + s.slow,
        breakerOpen: a.breakerOpen + s.breakerOpen,
      }),
      { samples: 0, errors: 0, slow: 0, breakerOpen: 0 },
    );
    const recent = { samples: admitted, errors: failed, slow: 0 };
    state = controller(state, { ...obs, recent }, (t + 1) * 1_000);
  }
  return { overshoot, goodput, trace };
}

/** Seconds from `from` until the limit is within ±tolerance of capacity and stays there for `hold` s. */
export function settleTime(report: SimulationReport, from: number, tolerance = 0.1, hold = 10): number {
  const { trace } = report;
  for (let t = from; t + hold <= trace.length; t++) {
    let ok = true;
    for (let u = t; u < t + hold && ok; u++) {
      const [rate, capacity] = trace[u] ?? [0, 1];
      ok = Math.abs(rate - capacity) <= tolerance * capacity;
    }
    if (ok) return t - from;
  }
  return Number.POSITIVE_INFINITY;
}
