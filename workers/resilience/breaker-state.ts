import { CircuitState } from 'cockatiel';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface BreakerStateChange {
  model: string;
  state: BreakerState;
  previous: BreakerState;
  /** Epoch ms of the change. */
  at: number;
}

export type BreakerListener = (change: BreakerStateChange) => void;

export function breakerStateName(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    default:
      return 'isolated';
  }
}
