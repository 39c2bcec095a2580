import { z } from 'zod';

// Enqueue stage and worker pool settings. Composed into the root schema in infra/config.
export const workersConfigSchema = z
  .object({
    concurrency: z.number().int().positive().default(4),
  })
  .prefault({});
