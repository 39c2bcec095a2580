import { z } from 'zod';

// Tracing and analytics settings. Composed into the root schema in infra/config.

const exporterSchema = z
  .object({
    /** Spans held by the batch span processor before it drops new ones (counted). */
    maxQueueSize: z.number().int().positive().default(8_192),
    maxExportBatchSize: z.number().int().positive().default(1_024),
    scheduledDelayMs: z.number().int().positive().default(1_000),
    /** One export never waits longer than this for Kafka; its spans are dropped and counted. */
    sendTimeoutMs: z.number().int().positive().default(5_000),
    /** After a failed send, spans are dropped without trying Kafka for this long. */
    reconnectBackoffMs: z.number().int().positive().default(5_000),
  })
  .prefault({});

export const analyticsConfigSchema = z
  .object({
    /** Tumbling window length, in event time (the spans' end timestamps). */
    windowMs: z.number().int().positive().default(60_000),
    /** A window closes once every partition's newest span is this far past its end. */
    allowedLatenessMs: z.number().int().min(0).default(5_000),
    /** With no span at all for this long (wall clock), every open window is closed. */
    idleCloseMs: z.number().int().positive().default(60_000),
    groupId: z.string().min(1).default('redline-analytics'),
    /** k is chosen by silhouette between 2 and this. */
    maxK: z.number().int().min(2).default(8),
    seed: z.number().int().default(42),
    maxIterations: z.number().int().positive().default(100),
    /** k is selected on a seeded sample of at most this many error spans (silhouette is O(n²)). */
    selectionSampleSize: z.number().int().min(10).default(1_000),
    /** A cluster whose signature has fewer spans than this in a window never alerts. */
    minClusterSize: z.number().int().positive().default(10),
    /** "Growing": the signature's rate is at least this many times its baseline rate. */
    growthFactor: z.number().positive().default(3),
    /** "New": the centroid is farther than this from every baseline centroid (comparison space). */
    newClusterDistance: z.number().positive().default(1),
    /** Windows kept as the baseline. */
    baselineWindows: z.number().int().positive().default(10),
    /** Windows seen before any alert (the baseline is learnt first). */
    warmupWindows: z.number().int().min(0).default(2),
    /** The same stage + span + error type alerts at most once per cool-down. */
    cooldownMs: z
      .number()
      .int()
      .positive()
      .default(15 * 60_000),
    exemplars: z.number().int().positive().default(5),
    redisKeyPrefix: z.string().default('redline:analytics:'),
    /** e.g. http://localhost:16686 : alerts then carry a link to their first exemplar trace. */
    jaegerUrl: z.string().url().optional(),
    /** Alerts are also POSTed here as JSON (retried with back-off, failures counted). */
    webhookUrl: z.string().url().optional(),
    /** Retries after the first failed POST (exponential back-off). */
    webhookRetries: z.number().int().min(0).default(3),
    webhookInitialDelayMs: z.number().int().positive().default(500),
    webhookTimeoutMs: z.number().int().positive().default(5_000),
    exporter: exporterSchema,
  })
  .prefault({});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;
