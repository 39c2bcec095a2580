import type { AdaptiveConfig } from './config.ts';
import {
  type ControllerParams,
  type ControllerState,
  type Observation,
  unhealthyReason,
} from './controller.ts';

// An alternative to the reference controller, pure like it. It backs off on a *mild* signal in the
// most recent slot (more than mildErrorRate failed or slow), straight to what the backend actually
// served in that slot (× headroom) instead of to a fixed 30%; it holds while the window still
// shows trouble; once the window is clean it probes upward by probeFraction × nominal every
// probeIntervalMs. So it follows a capacity drop within one slot, sits just under the capacity
// instead of saw-toothing between 30% and past it, and is back at nominal within seconds of a
// recovery rather than minutes (test/unit/enqueue/controller-sim.test.ts measures both).

export type AimdParams = ControllerParams &
  Pick<AdaptiveConfig, 'slotMs'> & {
    aimd: AdaptiveConfig['aimd'];
  };

export function aimdController(
  state: ControllerState,
  obs: Observation,
  now: number,
  p: AimdParams,
): ControllerState {
  const { aimd } = p;
  const minRate = p.nominal * aimd.minFactor;
  const windowReason = unhealthyReason(obs, p);
  const recent = obs.recent ?? { samples: 0, errors: 0, slow: 0 };
  const perSecond = 1_000 / p.slotMs;
  const recentBad = recent.samples > 0 && (recent.errors + recent.slow) / recent.samples > aimd.mildErrorRate;
  const reason = windowReason ?? (recentBad ? (recent.errors >= recent.slow ? 'errors' : 'latency') : null);
  // What the backend served well in the last slot, per second: its capacity, when our limit binds.
  const served = (recent.samples - recent.errors - recent.slow) * perSecond;
  // Only when the limit is what holds traffic back do failures say the limit is too high; with
  // traffic well under it, fall back to the reference's thresholds and floor.
  const binding = recent.samples * perSecond >= 0.8 * state.rate;

  if (recentBad && binding) {
    return {
      rate: clamp(Math.min(state.rate, served * aimd.headroom), minRate, p.nominal),
      changedAt: now,
      healthy: false,
      reason,
    };
  }
  if (windowReason !== null && recentBad) {
    const rate = Math.min(state.rate, Math.max(served * aimd.headroom, p.nominal * p.cutFactor));
    return { rate, changedAt: now, healthy: false, reason };
  }
  const windowClean = windowReason === null && obs.errors + obs.slow <= aimd.mildErrorRate * obs.samples;
  if (!windowClean) return { ...state, rate: Math.min(state.rate, p.nominal), healthy: false, reason };
  if (state.rate < p.nominal && now - state.changedAt >= aimd.probeIntervalMs) {
    const rate = Math.min(p.nominal, state.rate + aimd.probeFraction * p.nominal);
    return { rate, changedAt: now, healthy: true, reason: null };
  }
  return { ...state, rate: Math.min(state.rate, p.nominal), healthy: true, reason: null };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}
