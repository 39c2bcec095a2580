import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { InferenceRequest } from '../../schemas/types.ts';
import { TIERS } from '../../schemas/types.ts';
import { RedlineError } from '../errors.ts';

// What a producer may submit. Validated before anything is sent: a bad request is an
// INVALID_REQUEST error naming the field, and nothing reaches Kafka.

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const submitRequestSchema = z
  .object({
    requestId: z.string().regex(ID, 'letters, digits and . _ : - only, at most 128').optional(),
    tenant: z.string().regex(ID, 'letters, digits and . _ : - only, at most 128'),
    sessionId: z.string().max(256).nullable().optional(),
    model: z.string().regex(ID, 'letters, digits and . _ : - only, at most 128'),
    operation: z.enum(['chat', 'completion']).default('chat'),
    prompt: z.string().nullable().optional(),
    templateId: z.string().regex(ID).nullable().optional(),
    slots: z.record(z.string(), z.string()).default({}),
    parameters: z
      .object({
        maxTokens: z.number().int().min(1).max(1_000_000).default(256),
        temperature: z.number().min(0).max(2).default(0.7),
        weight: z.number().int().min(0).max(1_000).default(1),
      })
      .prefault({}),
    priorityHint: z
      .enum(TIERS as [string, ...string[]])
      .nullable()
      .optional(),
    batchId: z.string().regex(ID).nullable().optional(),
    batchIndex: z.number().int().min(0).nullable().optional(),
    token: z.string().min(1).nullable().optional(),
    producer: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .refine((r) => (r.prompt != null) !== (r.templateId != null), {
    message: 'give exactly one of prompt or templateId',
    path: ['prompt'],
  });

export type SubmitRequest = z.input<typeof submitRequestSchema>;

/** Validates and fills defaults; throws INVALID_REQUEST with every problem, by field path. */
export function toInferenceRequest(input: unknown, now: number = Date.now()): InferenceRequest {
  const parsed = submitRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`)
      .join('; ');
    throw new RedlineError('INVALID_REQUEST', issues);
  }
  const r = parsed.data;
  return {
    requestId: r.requestId ?? randomUUID(),
    tenant: r.tenant,
    sessionId: r.sessionId ?? null,
    model: r.model,
    operation: r.operation,
    prompt: r.prompt ?? null,
    templateId: r.templateId ?? null,
    slots: r.slots,
    parameters: r.parameters,
    priorityHint: (r.priorityHint ?? null) as InferenceRequest['priorityHint'],
    batchId: r.batchId ?? null,
    batchIndex: r.batchIndex ?? null,
    createdAt: now,
    token: r.token ?? null,
    producer: r.producer,
  };
}
