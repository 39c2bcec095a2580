import { z } from 'zod';

// Auth stage settings. Owned by the auth stage; composed into the root schema in infra/config.
export const authConfigSchema = z
  .object({
    jwksFile: z.string().nullable().default(null),
  })
  .prefault({});
