import { randomUUID } from 'node:crypto';
import type { InferenceRequest } from '../../schemas/types.ts';

/** A valid request with overridable fields, for tests and benchmarks. */
export function makeRequest(overrides: Partial<InferenceRequest> = {}): InferenceRequest {
  return {
    requestId: randomUUID(),
    tenant: 'acme',
    sessionId: null,
    model: 'sim-small',
    operation: 'chat',
    prompt: 'Summarise the plot of Hamlet in three sentences.',
    templateId: null,
    slots: {},
    parameters: { maxTokens: 128, temperature: 0.7, weight: 1 },
    priorityHint: null,
    batchId: null,
    batchIndex: null,
    createdAt: Date.now(),
    token: null,
    producer: {},
    ...overrides,
  };
}
