import { z } from 'zod';
import { analyticsConfigSchema } from '../../analytics/config.ts';
import { authConfigSchema } from '../../pipeline/auth/config.ts';
import { detectConfigSchema } from '../../pipeline/detect/config.ts';
import { sanitizeConfigSchema } from '../../pipeline/sanitize/config.ts';
import { workersConfigSchema } from '../../workers/config.ts';

// The whole configuration in one zod schema. Each stage owns its section's schema in its own
// folder; this file composes them. Defaults are the reference design's numbers.

const topicsSchema = z
  .object({
    prefix: z
      .string()
      .regex(/^[a-zA-Z0-9._-]*$/)
      .default('redline.'),
    partitions: z.number().int().positive().default(6),
    replicationFactor: z.number().int().positive().default(1),
  })
  .prefault({});

const kafkaSchema = z
  .object({
    /** Comma-separated bootstrap brokers. When set through REDLINE_KAFKA_BROKERS nothing is started. */
    brokers: z.array(z.string().min(1)).min(1).default(['127.0.0.1:9092']),
    clientId: z.string().default('redline'),
  })
  .prefault({});

const runnerSchema = z
  .object({
    /** Messages per transaction at most (KafkaJS hands over one partition's fetch at a time). */
    maxBatchSize: z.number().int().positive().default(500),
    /** How many messages of a batch the core works on at once (lets async cores such as the detector micro-batch). */
    coreConcurrency: z.number().int().positive().default(64),
    /** Pause fetching while this many messages are in flight in the core or producer. */
    maxInFlight: z.number().int().positive().default(5_000),
    /** Retry backoff of the transactional producer; Kafka 4 answers CONCURRENT_TRANSACTIONS right after a commit. */
    producerRetryMs: z.number().int().positive().default(20),
    sessionTimeoutMs: z.number().int().positive().default(10_000),
  })
  .prefault({});

const metricsSchema = z
  .object({
    /** Operational endpoints are loopback-only unless an operator opts in. */
    host: z.string().default('127.0.0.1'),
    /** 0 picks a free port (printed at start-up). */
    port: z.number().int().min(0).max(65535).default(0),
  })
  .prefault({});

export const configSchema = z
  .object({
    kafka: kafkaSchema,
    redis: z.object({ url: z.string().url().default('redis://127.0.0.1:6379') }).prefault({}),
    topics: topicsSchema,
    runner: runnerSchema,
    metrics: metricsSchema,
    auth: authConfigSchema,
    sanitize: sanitizeConfigSchema,
    detect: detectConfigSchema,
    workers: workersConfigSchema,
    analytics: analyticsConfigSchema,
  })
  .strict();

export type RedlineConfig = z.infer<typeof configSchema>;
