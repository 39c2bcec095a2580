import { z } from 'zod';

// Enqueue stage settings: how long each tier may wait for its tokens, and the batch back-off.
export const enqueueConfigSchema = z
  .object({
    /**
     * Standard requests over their tenant's rate wait (a delayed job, tokens reserved) up to this
     * long, smoothing bursts; beyond it they are rejected with RATE_LIMITED like interactive ones.
     */
    standardMaxDelayMs: z.number().int().nonnegative().default(1_000),
    /**
     * Batch requests reserve future tokens up to this far ahead (paced at the tenant's rate).
     * Beyond it they are still never dropped: delayed by the retry-after plus a jittered back-off.
     */
    batchMaxDelayMs: z.number().int().nonnegative().default(3_600_000),
    /** Spread added to a batch delay that could not reserve tokens, so a backlog does not wake at once. */
    batchBackoffJitterMs: z.number().int().nonnegative().default(5_000),
    /** Tiers subject to the adaptive per-model limit (batch waits in the queue behind them instead). */
    modelLimitedTiers: z
      .array(z.enum(['interactive', 'standard', 'batch']))
      .default(['interactive', 'standard']),
    /** Finished jobs are kept this long, so a re-delivered request id within it is not run twice. */
    keepJobsSeconds: z.number().int().positive().default(86_400),
  })
  .prefault({});

export type EnqueueConfig = z.infer<typeof enqueueConfigSchema>;
