import { z } from 'zod';

// Timeouts, retries and the circuit breaker around every backend call (`workers.resilience`).
// Defaults are the reference design's: 15 s timeout, breaker after 5 consecutive failures, open 30 s.

export const resilienceConfigSchema = z
  .object({
    /** Per attempt: an attempt still running after this is aborted and fails with BACKEND_TIMEOUT. */
    timeoutMs: z.number().int().positive().default(15_000),
    retry: z
      .object({
        /** Retries after the first attempt, for retryable errors only (429, 5xx, network, timeout). */
        maxRetries: z.number().int().nonnegative().default(2),
        /** Exponential back-off with decorrelated jitter between these bounds. */
        initialDelayMs: z.number().int().positive().default(100),
        maxDelayMs: z.number().int().positive().default(2_000),
      })
      .prefault({}),
    breaker: z
      .object({
        /** Consecutive failed attempts (retryable errors) that open the breaker. */
        consecutiveFailures: z.number().int().positive().default(5),
        /** How long an open breaker fails fast before letting one trial call through. */
        halfOpenAfterMs: z.number().int().positive().default(30_000),
      })
      .prefault({}),
  })
  .prefault({});

export type ResilienceConfig = z.infer<typeof resilienceConfigSchema>;
