import { z } from 'zod';

// Detect stage settings. Owned by the detect stage; composed into the root schema in infra/config.
export const detectConfigSchema = z
  .object({
    threshold: z.number().min(0).max(1).default(0.85),
  })
  .prefault({});
