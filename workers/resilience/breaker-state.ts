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

/** One attempt against the backend (retries are separate attempts); for error rates and latency. */
export interface AttemptOutcome {
  model: string;
  ok: boolean;
  /** The coded error of a failed attempt (BACKEND_TIMEOUT, BACKEND_SERVER_ERROR, SANDBOX_LIMIT, ...). */
  code?: string;
  /** Whether the failure was the backend's (retryable); a 4xx or the caller's abort is not. */
  backendFault: boolean;
  durationMs: number;
}

export type AttemptListener = (outcome: AttemptOutcome) => void;
