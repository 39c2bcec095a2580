import { z } from 'zod';

const limits = z
  .object({
    /** Reject with INJECTION_DETECTED at or above this combined score. */
    threshold: z.number().min(0).max(1),
    /** Quarantine for review at or above this score (and below `threshold`); equal to threshold turns the grey zone off. */
    quarantineFrom: z.number().min(0).max(1),
  })
  .partial();

// Detect stage settings. Owned by the detect stage; composed into the root schema in infra/config.
export const detectConfigSchema = z
  .object({
    threshold: z.number().min(0).max(1).default(0.85),
    /** The grey zone [quarantineFrom, threshold): held on the quarantine topic for an operator. */
    quarantineFrom: z.number().min(0).max(1).default(0.6),
    /** Overrides per inference model (the request's `model`), e.g. stricter for a larger model. */
    perModel: z.record(z.string(), limits).default({}),
    microBatch: z
      .object({
        /** Texts per ONNX run at most. */
        maxBatch: z.number().int().positive().default(64),
        /** How long the first text of a batch waits for company. */
        maxWaitMs: z.number().min(0).default(2),
      })
      .prefault({}),
    /**
     * The encrypted model (its `detector.json` lies beside it); relative paths are from the
     * repository root. The passphrase comes from REDLINE_MODEL_KEY or REDLINE_MODEL_KEY_FILE, never
     * from this file.
     */
    modelPath: z.string().min(1).default('pipeline/detect/model/detector.onnx.enc'),
  })
  .prefault({});

export type DetectConfig = z.infer<typeof detectConfigSchema>;
