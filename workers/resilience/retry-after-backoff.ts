import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import { BackendError } from '../backends/errors.ts';

type Context = IRetryBackoffContext<unknown>;

/**
 * Jittered exponential back-off that waits at least as long as the server asked (Retry-After on a
 * 429 or 503), up to `maxDelayMs`: a worker slot is not held longer than that for one call.
 */
export class RetryAfterBackoff implements IBackoffFactory<Context> {
  readonly #inner: IBackoffFactory<Context>;
  readonly #maxDelayMs: number;

  constructor(inner: IBackoffFactory<Context>, maxDelayMs: number) {
    this.#inner = inner;
    this.#maxDelayMs = maxDelayMs;
  }

  next(context: Context): IBackoff<Context> {
    return withRetryAfter(this.#inner.next(context), context, this.#maxDelayMs);
  }
}

function withRetryAfter(inner: IBackoff<Context>, context: Context, maxDelayMs: number): IBackoff<Context> {
  const error = 'error' in context.result ? context.result.error : undefined;
  const asked = error instanceof BackendError ? (error.retryAfterMs ?? 0) : 0;
  return {
    duration: Math.max(inner.duration, Math.min(asked, maxDelayMs)),
    next: (next: Context) => withRetryAfter(inner.next(next), next, maxDelayMs),
  };
}
