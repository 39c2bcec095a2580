import { describe, expect, it } from 'vitest';
import { RedlineError } from '../../../pipeline/errors.ts';
import { failureCode } from '../../../workers/pool/processor.ts';

describe('failureCode', () => {
  it('keeps a coded error and falls back to BACKEND_ERROR', () => {
    expect(failureCode(new RedlineError('BACKEND_UNAVAILABLE', 'open'))).toBe('BACKEND_UNAVAILABLE');
    expect(failureCode(new Error('boom'))).toBe('BACKEND_ERROR');
  });
  it('finds a sandbox code under a wrapping model error', () => {
    const inner = new RedlineError('SANDBOX_LIMIT', 'heap');
    const wrapped = new RedlineError('BACKEND_MODEL_ERROR', 'the backend failed', { cause: inner });
    expect(failureCode(wrapped)).toBe('SANDBOX_LIMIT');
  });
});
