import { describe, expect, it } from 'vitest';
import { toInferenceRequest } from '../../../pipeline/sdk/request-schema.ts';

describe('SDK request validation', () => {
  it('fills defaults for a minimal request', () => {
    const r = toInferenceRequest({ tenant: 'acme', model: 'm', prompt: 'hi' }, 1000);
    expect(r).toMatchObject({
      tenant: 'acme',
      model: 'm',
      prompt: 'hi',
      operation: 'chat',
      createdAt: 1000,
      token: null,
    });
    expect(r.parameters).toEqual({ maxTokens: 256, temperature: 0.7, weight: 1 });
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    [{ model: 'm', prompt: 'x' }, 'tenant'],
    [{ tenant: 'acme', model: 'm' }, 'exactly one of prompt or templateId'],
    [{ tenant: 'acme', model: 'm', prompt: 'x', templateId: 't' }, 'exactly one of prompt or templateId'],
    [{ tenant: 'a b', model: 'm', prompt: 'x' }, 'tenant'],
    [{ tenant: 'acme', model: 'm', prompt: 'x', parameters: { temperature: 9 } }, 'parameters.temperature'],
    [{ tenant: 'acme', model: 'm', prompt: 'x', priorityHint: 'urgent' }, 'priorityHint'],
    [{ tenant: 'acme', model: 'm', prompt: 'x', surprise: 1 }, 'surprise'],
  ])('refuses %j naming %s', (input, needle) => {
    expect(() => toInferenceRequest(input)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => toInferenceRequest(input)).toThrow(new RegExp(needle));
  });
});
