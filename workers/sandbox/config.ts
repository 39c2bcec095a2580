import { z } from 'zod';

// Sandbox settings (the `workers.sandbox` section). The reference design sandboxes requests whose
// weight is above 10 and gives sandboxed processes cgroup v2 `cpu.max` / `memory.max` limits.
export const sandboxConfigSchema = z
  .object({
    /** Requests with a weight above this run sandboxed unless their model forces a mode. */
    weightThreshold: z.number().default(10),
    /** The sandbox used for heavy requests: worker threads (`resourceLimits`) or child processes. */
    mode: z.enum(['thread', 'process']).default('thread'),
    /** V8 old-generation heap limit of one sandbox (thread resourceLimits / --max-old-space-size). */
    maxOldGenerationMb: z.number().int().positive().default(256),
    maxYoungGenerationMb: z.number().int().positive().default(32),
    /** cgroup v2 `memory.max` of a sandbox process, where cgroups are available. */
    memoryMaxMb: z.number().int().positive().default(512),
    /** cgroup v2 `cpu.max` of a sandbox process ("quota period" in µs; 100000 100000 = one core). */
    cpuMax: z
      .string()
      .regex(/^(max|\d+) \d+$/)
      .default('100000 100000'),
    cgroupRoot: z.string().default('/sys/fs/cgroup'),
    /** After an abort, a sandbox that has not stopped within this is terminated. */
    cancelGraceMs: z.number().int().positive().default(1_000),
  })
  .prefault({});
export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;
