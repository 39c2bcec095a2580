import { RedlineError } from '../../pipeline/errors.ts';

// Backend failures carry a stable code and whether a retry may help. The resilience layer
// (workers/resilience) retries and counts towards the breaker only what is `retryable`.

export type BackendErrorCode =
  /** 429 from the server. */
  | 'BACKEND_RATE_LIMITED'
  /** 5xx from the server, or a simulated server error. */
  | 'BACKEND_SERVER_ERROR'
  /** Any other 4xx: the request itself is wrong; retrying cannot help. */
  | 'BACKEND_BAD_REQUEST'
  /** 401/403: the API key is missing or refused. */
  | 'BACKEND_AUTH'
  /** Connection refused/reset, DNS failure, socket closed mid-response. */
  | 'BACKEND_NETWORK'
  /** The per-call timeout fired. */
  | 'BACKEND_TIMEOUT'
  /** The caller aborted (preemption, shutdown): not a backend fault. */
  | 'BACKEND_ABORTED'
  /** The server answered with something that is not the protocol. */
  | 'BACKEND_PROTOCOL'
  /** The local model failed to load or run. */
  | 'BACKEND_MODEL_ERROR'
  /** The breaker is open: failing fast without calling the backend. */
  | 'BACKEND_UNAVAILABLE';

export class BackendError extends RedlineError {
  override readonly code: BackendErrorCode;
  /** HTTP status or equivalent, when there was one. */
  readonly status: number | undefined;
  /** How long the server asked the client to wait (Retry-After), when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: BackendErrorCode,
    message: string,
    options: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    // `retryable` (RedlineError's): 429, 5xx, network and timeouts; the resilience layer retries these.
    super(code, message, { cause: options.cause, retryable: options.retryable });
    this.name = 'BackendError';
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isRetryable(err: unknown): boolean {
  return err instanceof BackendError && err.retryable;
}

/** Maps an HTTP status to a coded error: 429 and 5xx are retryable, other 4xx are not. */
export function errorForStatus(status: number, message: string, retryAfterMs?: number): BackendError {
  if (status === 429) {
    return new BackendError('BACKEND_RATE_LIMITED', message, { retryable: true, status, retryAfterMs });
  }
  if (status >= 500) {
    return new BackendError('BACKEND_SERVER_ERROR', message, { retryable: true, status, retryAfterMs });
  }
  if (status === 401 || status === 403) {
    return new BackendError('BACKEND_AUTH', message, { retryable: false, status });
  }
  return new BackendError('BACKEND_BAD_REQUEST', message, { retryable: false, status });
}

/** A Retry-After header (delay-seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function abortedError(cause?: unknown): BackendError {
  return new BackendError('BACKEND_ABORTED', 'the backend call was aborted', { retryable: false, cause });
}

/** Throws BACKEND_ABORTED if the signal has fired; backends call it before and between steps. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortedError(signal.reason);
}
