import type { AdaptiveConfig } from './config.ts';

// The adaptive per-model limit as a pure function: (state, observation, now) → new state. The
// Redis part (./health.ts) only gathers the observation and stores the state.

/** Outcome counts over the sliding window. */
export interface Observation {
  samples: number;
  errors: number;
  /** Outcomes slower than the p99 threshold: p99 > threshold exactly when more than 1% are. */
  slow: number;
  /** Outcomes refused by an open circuit breaker. */
  breakerOpen: number;
  /** The most recent complete slot alone (the AIMD controller reads it; the reference does not). */
  recent?: SlotCounts;
}

export interface SlotCounts {
  samples: number;
  errors: number;
  slow: number;
}

export interface ControllerState {
  /** The admitted rate (req/s). */
  rate: number;
  /** When the rate last changed (a cut, or a recovery step); recovery steps are timed from here. */
  changedAt: number;
  healthy: boolean;
  reason: HealthReason | null;
}

export type HealthReason = 'errors' | 'latency' | 'breaker';

export type ControllerParams = Pick<
  AdaptiveConfig,
  'minSamples' | 'errorRateThreshold' | 'cutFactor' | 'stepRate' | 'stepIntervalMs'
> & { nominal: number };

export const EMPTY_OBSERVATION: Observation = { samples: 0, errors: 0, slow: 0, breakerOpen: 0 };

export function initialState(nominal: number, now: number): ControllerState {
  return { rate: nominal, changedAt: now, healthy: true, reason: null };
}

/** Why the window is unhealthy, or null. Too few samples prove nothing, except an open breaker. */
export function unhealthyReason(
  obs: Observation,
  params: Pick<ControllerParams, 'minSamples' | 'errorRateThreshold'>,
): HealthReason | null {
  if (obs.breakerOpen > 0) return 'breaker';
  if (obs.samples === 0 || obs.samples < params.minSamples) return null;
  if (obs.errors / obs.samples > params.errorRateThreshold) return 'errors';
  if (obs.slow > 0.01 * obs.samples) return 'latency';
  return null;
}

/**
 * The reference controller: unhealthy → the rate drops to cutFactor × nominal (at once, not
 * compounding); healthy → +stepRate every stepIntervalMs, up to nominal. Being unhealthy restarts
 * the step timer, so recovery begins a full interval after the window turns healthy.
 */
export function referenceController(
  state: ControllerState,
  obs: Observation,
  now: number,
  params: ControllerParams,
): ControllerState {
  const reason = unhealthyReason(obs, params);
  const floor = params.nominal * params.cutFactor;
  if (reason !== null) {
    return { rate: Math.min(state.rate, floor), changedAt: now, healthy: false, reason };
  }
  const rate = Math.min(state.rate, params.nominal);
  if (rate < params.nominal && now - state.changedAt >= params.stepIntervalMs) {
    return {
      rate: Math.min(params.nominal, rate + params.stepRate),
      changedAt: now,
      healthy: true,
      reason: null,
    };
  }
  return { ...state, rate, healthy: true, reason: null };
}
