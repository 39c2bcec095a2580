import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// Sanitize stage settings. Owned by the sanitize stage; composed into the root schema in infra/config.
// Defaults are the reference design's numbers (8 MB request limit, fingerprint cosine 0.92).

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

export const DEFAULT_RULES_FILE = here('./rules/default-rules.yaml');
export const DEFAULT_TEMPLATES_FILE = here('./templates/templates.yaml');
export const DEFAULT_CORPUS_FILE = here('./fingerprint/attack-corpus.json');

export const sanitizeConfigSchema = z
  .object({
    /** Prompt plus slot values, in UTF-8 bytes; above it INPUT_TOO_LARGE. */
    maxPromptBytes: z
      .number()
      .int()
      .positive()
      .default(8 * 1024 * 1024),
    /** The versioned rule file; watched and reloaded without restart. */
    rulesFile: z.string().default(DEFAULT_RULES_FILE),
    /** Also take rule sets from the compacted `rules` topic (newest valid version wins). */
    rulesFromTopic: z.boolean().default(true),
    templatesFile: z.string().default(DEFAULT_TEMPLATES_FILE),
    /** The shipped corpus of known attacks (embeddings), grown at run time by confirmed attacks. */
    corpusFile: z.string().default(DEFAULT_CORPUS_FILE),
    /** Cosine similarity at or above which a prompt is a known attack (FINGERPRINT_MATCH). */
    fingerprintThreshold: z.number().min(0).max(1).default(0.92),
    /** `simhash` prefilters candidates by signature (fast, approximate); `brute` compares every entry. */
    fingerprintIndex: z.enum(['simhash', 'brute']).default('simhash'),
    /** Decoding layers (base64 in hex in URL-encoding ...) followed at most; deeper is ENCODING_ABUSE. */
    maxDecodeDepth: z.number().int().min(1).max(8).default(3),
    /** Decoded layers per request at most; more is ENCODING_ABUSE. */
    maxDecodedLayers: z.number().int().min(1).default(32),
    /**
     * Key prefix of the confirmed-attacks Redis list (see confirmed-attacks.ts). Null: the topic
     * prefix (`topics.prefix`), which is what `redline review` writes under.
     */
    redisKeyPrefix: z.string().nullable().default(null),
    /** How often the stage polls the confirmed-attacks list. */
    confirmedPollMs: z.number().int().positive().default(5_000),
  })
  .prefault({});

export type SanitizeConfig = z.infer<typeof sanitizeConfigSchema>;
