import { z } from 'zod';

// Worker pool settings (the `workers.pool` section). Defaults follow the reference design.

const isolationSchema = z.enum(['inline', 'thread', 'process']);
export type IsolationMode = z.infer<typeof isolationSchema>;

const modelPoolSchema = z.object({
  /** Slots per pool process for this model; defaults to `workers.concurrency`. */
  concurrency: z.number().int().positive().optional(),
  /** Forces an isolation mode; unset, a request's weight decides (see `sandbox.weightThreshold`). */
  isolation: isolationSchema.optional(),
  /**
   * Consume the backend's output as a stream and scan it as it arrives (sliding window): a blocked
   * output stops the generation at once. In-process backends that can stream only.
   */
  streamOutput: z.boolean().optional(),
});
export type ModelPoolConfig = z.infer<typeof modelPoolSchema>;

export const poolConfigSchema = z
  .object({
    /** Models this pool serves (one BullMQ queue each), with optional per-model settings. */
    models: z.record(z.string().min(1), modelPoolSchema).default({}),
    preemption: z
      .object({
        /** This process scans for preemptions (its own jobs can be preempted by scanning processes either way). */
        enabled: z.boolean().default(true),
        /** Ageing: a job preempted this many times is no longer preemptable. */
        maxPreemptions: z.number().int().nonnegative().default(3),
        /** Ageing: a job enqueued longer ago than this is no longer preemptable. */
        maxWaitMs: z.number().int().positive().default(30_000),
        /** Scan interval while some slot of the process is free (a preemption is rarely due then), and of the ageing pass. */
        scanIntervalMs: z.number().int().positive().default(250),
        /** Scan interval while every slot of the process is busy: how soon a more urgent arrival is noticed. */
        busyPollMs: z.number().int().positive().default(10),
        /** Least time between two scans (a scan that saw a start under way looks again soon, not at once). */
        minScanGapMs: z.number().int().nonnegative().default(5),
        /** How many waiting jobs a scan looks at. */
        waitingLookahead: z.number().int().positive().default(16),
        /** A pool process that stops heart-beating is dropped from the slot count after this. */
        heartbeatTtlMs: z.number().int().positive().default(10_000),
      })
      .prefault({}),
    /** BullMQ lock duration; a job whose lock lapses is stalled and re-run. */
    lockDurationMs: z.number().int().positive().default(30_000),
    /** Redis result marker lifetime once a result is published (guards a stalled job's re-run). */
    resultMarkerTtlMs: z.number().int().positive().default(86_400_000),
    /** An outcome a result relay read but did not get onto Kafka (its process died) is taken over by another relay after this. */
    relayClaimIdleMs: z.number().int().positive().default(30_000),
    /** Outcomes per outbox append and per Kafka produce request of the result relay, at most. */
    maxResultBatch: z.number().int().positive().default(500),
  })
  .prefault({});
export type PoolConfig = z.infer<typeof poolConfigSchema>;
