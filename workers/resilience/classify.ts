import { BrokenCircuitError, IsolatedCircuitError, TaskCancelledError } from 'cockatiel';
import { RedlineError } from '../../pipeline/errors.ts';
import { abortedError, BackendError } from '../backends/errors.ts';

// Turns whatever an attempt threw into a coded error, telling the caller's abort
// (preemption: not a backend fault, never retried) from the per-attempt timeout (retryable).

export function timeoutError(timeoutMs: number, cause?: unknown): BackendError {
  return new BackendError('BACKEND_TIMEOUT', `the backend did not answer within ${timeoutMs} ms`, {
    retryable: true,
    cause,
  });
}

export function classifyAttemptError(
  err: unknown,
  callerSignal: AbortSignal,
  timeoutMs: number,
): RedlineError {
  if (callerSignal.aborted)
    return err instanceof BackendError && err.code === 'BACKEND_ABORTED' ? err : abortedError(err);
  // The timeout's abort reached the backend (BACKEND_ABORTED) or cockatiel's race fired first.
  if (err instanceof TaskCancelledError) return timeoutError(timeoutMs, err);
  if (err instanceof BackendError) return err.code === 'BACKEND_ABORTED' ? timeoutError(timeoutMs, err) : err;
  // Another part's coded error (e.g. SANDBOX_LIMIT from a sandboxed backend) keeps its code; only
  // BackendErrors are retried or counted by the breaker.
  if (err instanceof RedlineError) return err;
  return new BackendError(
    'BACKEND_MODEL_ERROR',
    `the backend failed: ${(err as Error)?.message ?? String(err)}`,
    {
      retryable: false,
      cause: err,
    },
  );
}

/** What a caller sees: an open breaker becomes BACKEND_UNAVAILABLE; everything else is already coded. */
export function classifyCallError(err: unknown, model: string, callerSignal: AbortSignal): unknown {
  if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
    return new BackendError('BACKEND_UNAVAILABLE', `the circuit breaker for model ${model} is open`, {
      retryable: false,
      status: 503,
      cause: err,
    });
  }
  if (err instanceof TaskCancelledError && callerSignal.aborted) return abortedError(err);
  return err;
}
