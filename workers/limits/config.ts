import { z } from 'zod';

// Rate limits: per-tenant token buckets (per tier) and the adaptive per-model limit. Defaults are
// the reference design's numbers (100 req/s, burst 50; cut to 30% when errors pass 30% or p99
// passes 800 ms; +5 req/s every 30 s while healthy).

const bucketSchema = z.object({
  /** Tokens added per second. */
  rate: z.number().positive().default(100),
  /** Bucket capacity: how many requests may arrive at once after a quiet spell. */
  burst: z.number().positive().default(50),
});

const adaptiveSchema = z
  .object({
    /** `reference`: cut to `cutFactor` of nominal, then +stepRate every stepIntervalMs. `aimd`: see workers/limits/controller.ts. */
    controller: z.enum(['reference', 'aimd']).default('reference'),
    /** Sliding window over which error rate and p99 are judged. */
    windowMs: z.number().int().positive().default(10_000),
    /** Width of one window slot (the window slides by this much). */
    slotMs: z.number().int().positive().default(1_000),
    /** Fewer outcomes than this in the window say nothing about health (except an open breaker). */
    minSamples: z.number().int().nonnegative().default(20),
    errorRateThreshold: z.number().min(0).max(1).default(0.3),
    p99LatencyMs: z.number().positive().default(800),
    /** The admitted rate drops to this fraction of nominal when the model turns unhealthy. */
    cutFactor: z.number().positive().max(1).default(0.3),
    /** Additive recovery: +stepRate req/s every stepIntervalMs while healthy. */
    stepRate: z.number().positive().default(5),
    stepIntervalMs: z.number().int().positive().default(30_000),
    /** How often (at most, across all processes) the controller re-evaluates a model. */
    evalIntervalMs: z.number().int().positive().default(1_000),
    /** The `aimd` controller's settings (see workers/limits/aimd-controller.ts). */
    aimd: z
      .object({
        /** A slot with more failed (or slow) outcomes than this fraction backs the rate off. */
        mildErrorRate: z.number().min(0).max(1).default(0.05),
        /** After a back-off the rate is this fraction of what the backend served in the last slot. */
        headroom: z.number().positive().max(1).default(0.95),
        /** While the whole window is clean: + this fraction of nominal every probeIntervalMs. */
        probeFraction: z.number().positive().max(1).default(0.05),
        probeIntervalMs: z.number().int().positive().default(1_000),
        /** The rate never goes below this fraction of nominal (so recovery can be observed). */
        minFactor: z.number().positive().max(1).default(0.02),
      })
      .prefault({}),
  })
  .prefault({});

export const limitsConfigSchema = z
  .object({
    /** Prefix of every Redis key of the limiters (tests use a unique one). */
    keyPrefix: z.string().min(1).default('redline:limits:'),
    /** Per-tenant bucket, by the request's tier. */
    tiers: z
      .object({
        interactive: bucketSchema.prefault({}),
        standard: bucketSchema.prefault({}),
        batch: bucketSchema.prefault({}),
      })
      .prefault({}),
    /** Nominal per-model admitted rate (shared by all tenants); the adaptive controller lowers it. */
    models: z
      .object({
        default: bucketSchema.prefault({}),
        overrides: z.record(z.string(), bucketSchema).default({}),
      })
      .prefault({}),
    adaptive: adaptiveSchema,
  })
  .prefault({});

export type LimitsConfig = z.infer<typeof limitsConfigSchema>;
export type BucketConfig = z.infer<typeof bucketSchema>;
export type AdaptiveConfig = z.infer<typeof adaptiveSchema>;

export function modelBucketConfig(limits: LimitsConfig, model: string): BucketConfig {
  return limits.models.overrides[model] ?? limits.models.default;
}
