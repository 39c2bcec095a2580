import { randomUUID } from 'node:crypto';
import type { AuthorizedRequest, ClearedRequest, InferenceRequest } from '../../schemas/types.ts';

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

/** An authorized request (auth's output: no token, a principal) with overridable fields. */
export function makeAuthorized(overrides: Partial<AuthorizedRequest> = {}): AuthorizedRequest {
  const { token: _token, ...request } = makeRequest({
    requestId: 'req-1',
    prompt: 'hello',
    model: 'm',
    parameters: { maxTokens: 16, temperature: 0, weight: 1 },
  });
  return {
    ...request,
    principal: { subject: 'u', tenant: request.tenant, roles: [], tier: 'standard', weightLevel: null },
    ...overrides,
  };
}

/** A cleared request (detect's output) with overridable fields. */
export function makeCleared(overrides: Partial<ClearedRequest> = {}): ClearedRequest {
  const authorized = makeAuthorized(overrides);
  const prompt = authorized.prompt ?? '';
  return {
    ...authorized,
    renderedPrompt: prompt,
    normalizedPrompt: prompt,
    findings: [],
    fingerprintScore: 0,
    detection: { score: 0, modelVersion: 'test' },
    ...overrides,
  };
}
