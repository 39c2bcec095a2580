import { z } from 'zod';
import { enqueueConfigSchema } from '../pipeline/enqueue/config.ts';
import { backendsConfigSchema } from './backends/config.ts';
import { limitsConfigSchema } from './limits/config.ts';
import { outputScanConfigSchema } from './output-scan/config.ts';
import { poolConfigSchema } from './pool/config.ts';
import { resilienceConfigSchema } from './resilience/config.ts';
import { sandboxConfigSchema } from './sandbox/config.ts';

// Enqueue stage and worker pool settings. Composed into the root schema in infra/config.
export const workersConfigSchema = z
  .object({
    concurrency: z.number().int().positive().default(4),
    pool: poolConfigSchema,
    sandbox: sandboxConfigSchema,
    limits: limitsConfigSchema,
    enqueue: enqueueConfigSchema,
    backends: backendsConfigSchema,
    resilience: resilienceConfigSchema,
    outputScan: outputScanConfigSchema,
  })
  .prefault({});
