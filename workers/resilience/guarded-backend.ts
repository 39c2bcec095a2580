import {
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type RetryPolicy,
  retry,
  type TimeoutPolicy,
  TimeoutStrategy,
  timeout,
} from 'cockatiel';
import { abortedError, isRetryable } from '../backends/errors.ts';
import type { BackendRequest, BackendResponse, ModelBackend } from '../backends/types.ts';
import {
  type AttemptListener,
  type AttemptOutcome,
  type BreakerListener,
  type BreakerState,
  type BreakerStateChange,
  breakerStateName,
} from './breaker-state.ts';
import { classifyAttemptError, classifyCallError, timeoutError } from './classify.ts';
import type { ResilienceConfig } from './config.ts';
import { RetryAfterBackoff } from './retry-after-backoff.ts';

/**
 * A backend behind cockatiel policies: retry(breaker(timeout(call))). Each attempt has its own
 * timeout; retryable failures (429, 5xx, network, timeout) are retried with jittered exponential
 * back-off (at least a server's Retry-After, up to maxDelayMs) and count towards the model's
 * breaker; others (4xx, the caller's abort, other parts' coded errors) neither retry nor count. An
 * open breaker fails fast with BACKEND_UNAVAILABLE. The caller's AbortSignal ends the call at once,
 * back-off sleeps included.
 *
 * Streams: retries and the breaker cover the attempt up to the first chunk (nothing has been handed
 * out yet); after it, a gap of more than timeoutMs between chunks fails with BACKEND_TIMEOUT and a
 * mid-stream failure is passed on, not retried and not counted.
 */
export class GuardedBackend implements ModelBackend {
  readonly name: string;
  readonly model: string;
  readonly #inner: ModelBackend;
  readonly #config: ResilienceConfig;
  readonly #retry: RetryPolicy;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #timeout: TimeoutPolicy;
  readonly #streamTimeout: TimeoutPolicy;
  readonly #listeners = new Set<BreakerListener>();
  readonly #attemptListeners = new Set<AttemptListener>();
  #state: BreakerState = 'closed';

  constructor(inner: ModelBackend, model: string, config: ResilienceConfig) {
    this.#inner = inner;
    this.model = model;
    this.name = inner.name;
    this.#config = config;
    const retryable = handleWhen(isRetryable);
    this.#retry = retry(retryable, {
      maxAttempts: config.retry.maxRetries,
      backoff: new RetryAfterBackoff(
        new ExponentialBackoff({
          initialDelay: config.retry.initialDelayMs,
          maxDelay: config.retry.maxDelayMs,
        }),
        config.retry.maxDelayMs,
      ),
    });
    this.#breaker = circuitBreaker(retryable, {
      breaker: new ConsecutiveBreaker(config.breaker.consecutiveFailures),
      halfOpenAfter: config.breaker.halfOpenAfterMs,
    });
    this.#timeout = timeout(config.timeoutMs, TimeoutStrategy.Aggressive);
    // A stream outlives the attempt that opened it: its signal must not be aborted on return.
    this.#streamTimeout = timeout(config.timeoutMs, {
      strategy: TimeoutStrategy.Aggressive,
      abortOnReturn: false,
    });
    this.#breaker.onStateChange((circuit) => {
      const change: BreakerStateChange = {
        model,
        state: breakerStateName(circuit),
        previous: this.#state,
        at: Date.now(),
      };
      this.#state = change.state;
      for (const listener of this.#listeners) notify(listener, change);
    });
  }

  get breakerState(): BreakerState {
    return this.#state;
  }

  /** Breaker transitions (for the adaptive limit and spans). Returns an unsubscribe function. */
  onStateChange(listener: BreakerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Every attempt's outcome, retries included, so the adaptive limit sees the backend's real
   * error rate and latency (a call that succeeded on its third try still had two failures).
   * Returns an unsubscribe function.
   */
  onAttempt(listener: AttemptListener): () => void {
    this.#attemptListeners.add(listener);
    return () => this.#attemptListeners.delete(listener);
  }

  complete(request: BackendRequest): Promise<BackendResponse> {
    return this.#call(request.signal, this.#timeout, (signal) =>
      this.#inner.complete({ ...request, signal }),
    );
  }

  async *stream(request: BackendRequest): AsyncGenerator<string> {
    const inner = this.#inner;
    if (!inner.stream) {
      yield (await this.complete(request)).text;
      return;
    }
    const caller = request.signal;
    // Aborted by the idle timer after the first chunk; the attempt's own signal covers the start.
    const idle = new AbortController();
    const { iterator, first } = await this.#call(caller, this.#streamTimeout, async (signal) => {
      const it = inner.stream!({ ...request, signal: AbortSignal.any([signal, idle.signal, caller]) })[
        Symbol.asyncIterator
      ]();
      return { iterator: it, first: await it.next() };
    });
    let next = first;
    try {
      while (!next.done) {
        yield next.value;
        next = await this.#nextWithin(iterator, idle, caller);
      }
    } finally {
      if (!next.done) await iterator.return?.().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    this.#attemptListeners.clear();
    await this.#inner.close?.();
  }

  async #nextWithin(
    iterator: AsyncIterator<string>,
    idle: AbortController,
    caller: AbortSignal,
  ): Promise<IteratorResult<string>> {
    if (caller.aborted) throw abortedError(caller.reason);
    const timer = setTimeout(() => idle.abort(), this.#config.timeoutMs);
    try {
      return await iterator.next();
    } catch (err) {
      if (caller.aborted) throw abortedError(err);
      if (idle.signal.aborted) throw timeoutError(this.#config.timeoutMs, err);
      throw classifyAttemptError(err, caller, this.#config.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  #report(outcome: AttemptOutcome): void {
    for (const listener of this.#attemptListeners) notify(listener, outcome);
  }

  async #call<T>(
    caller: AbortSignal,
    timeoutPolicy: TimeoutPolicy,
    attempt: (signal: AbortSignal) => Promise<T>,
  ) {
    if (caller.aborted) throw abortedError(caller.reason);
    const { timeoutMs } = this.#config;
    const run = this.#retry.execute(({ signal }) => {
      // Checked before the breaker, so an aborted caller never spends a half-open trial.
      if (caller.aborted) throw abortedError(caller.reason);
      return this.#breaker.execute(async ({ signal: breakerSignal }) => {
        const started = performance.now();
        try {
          const value = await timeoutPolicy.execute(
            ({ signal: attemptSignal }) => attempt(attemptSignal),
            breakerSignal,
          );
          this.#report({
            model: this.model,
            ok: true,
            backendFault: false,
            durationMs: performance.now() - started,
          });
          return value;
        } catch (err) {
          const coded = classifyAttemptError(err, caller, timeoutMs);
          this.#report({
            model: this.model,
            ok: false,
            code: coded.code,
            backendFault: isRetryable(coded),
            durationMs: performance.now() - started,
          });
          throw coded;
        }
      }, signal);
    }, caller);
    try {
      return await raceAbort(run, caller);
    } catch (err) {
      throw classifyCallError(err, this.model, caller);
    }
  }
}

/** A listener's failure is its own: it must not fail the inference call it observes. */
function notify<T>(listener: (event: T) => void, event: T): void {
  try {
    listener(event);
  } catch {
    // ignored on purpose
  }
}

/** Rejects as soon as the caller aborts, so a back-off sleep inside the retry does not hold it. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined); // the loser of the race must not surface as unhandled
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal.reason));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
