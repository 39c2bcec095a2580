import { z } from 'zod';

// Output scanning before anything is published (`workers.outputScan`): what each category of
// finding does, and the canary tokens planted in system prompts.

const action = z.enum(['redact', 'block', 'allow']);
export type ScanAction = z.infer<typeof action>;

export const outputScanConfigSchema = z
  .object({
    policy: z
      .object({
        /** API keys, private keys, JWTs. */
        secret: action.default('redact'),
        /** E-mail addresses, phone numbers, card numbers (Luhn-checked). */
        pii: action.default('redact'),
        /** A canary in the output means the system prompt leaked: block by default. */
        canary: action.default('block'),
      })
      .prefault({}),
    /** Canary tokens planted in system prompts; matched exactly (case-sensitive). */
    canaries: z.array(z.string().min(8).max(256)).default([]),
    /**
     * Streaming: text is scanned again only after this many new characters arrived (a larger step
     * rescans less often and holds text back a little longer).
     */
    streamStepChars: z.number().int().positive().default(128),
    /** Streaming: an unfinished private key held back beyond this many characters blocks the output. */
    maxHeldChars: z.number().int().positive().default(262_144),
  })
  .prefault({});

export type OutputScanConfig = z.infer<typeof outputScanConfigSchema>;
export type OutputScanPolicy = OutputScanConfig['policy'];
