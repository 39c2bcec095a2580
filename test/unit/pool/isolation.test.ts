import { describe, expect, it } from 'vitest';
import { isolationFor } from '../../../workers/pool/isolation.ts';

const sandbox = { weightThreshold: 10, mode: 'thread' as const };

describe('isolationFor', () => {
  it('runs light requests in-process and sandboxes above the weight threshold', () => {
    expect(isolationFor(undefined, 10, sandbox)).toBe('inline');
    expect(isolationFor(undefined, 11, sandbox)).toBe('thread');
    expect(isolationFor({}, 50, { ...sandbox, mode: 'process' })).toBe('process');
  });
  it('lets a model force its mode', () => {
    expect(isolationFor({ isolation: 'inline' }, 99, sandbox)).toBe('inline');
    expect(isolationFor({ isolation: 'process' }, 1, sandbox)).toBe('process');
  });
});
