import { z } from 'zod';

// Tracing and analytics settings. Composed into the root schema in infra/config.
export const analyticsConfigSchema = z
  .object({
    windowMs: z.number().int().positive().default(60_000),
  })
  .prefault({});
