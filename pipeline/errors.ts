// Errors with stable codes, in the manner of jose: callers branch on `code`, never on the message.

export class RedlineError extends Error {
  readonly code: string;
  /**
   * The fault is a dependency's, not the message's (an identity provider or Redis is down): the
   * stage runner aborts the batch and retries it later instead of dead-lettering valid traffic.
   */
  readonly retryable: boolean;
  constructor(code: string, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options);
    this.name = 'RedlineError';
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }
}

export function isRedlineError(err: unknown, code?: string): err is RedlineError {
  return err instanceof RedlineError && (code === undefined || err.code === code);
}
