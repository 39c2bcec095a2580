import { z } from 'zod';

// Sanitize stage settings. Owned by the sanitize stage; composed into the root schema in infra/config.
export const sanitizeConfigSchema = z
  .object({
    maxPromptBytes: z
      .number()
      .int()
      .positive()
      .default(8 * 1024 * 1024),
  })
  .prefault({});
