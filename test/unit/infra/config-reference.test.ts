import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference } from '../../../infra/config/reference.ts';

describe('README configuration reference', () => {
  it('is the one generated from the zod schema (run `npm run docs` after changing the schema)', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(configReference());
  });
});
