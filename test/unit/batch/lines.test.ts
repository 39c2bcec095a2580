import { describe, expect, it } from 'vitest';
import { batchRequestId, parseBatchLine, splitInputLines } from '../../../pipeline/sdk/batch/lines.ts';

const defaults = { batchId: 'b1', tenant: 'acme', model: 'sim-small', tier: 'batch' as const, token: 'tok' };
const NOW = 1_700_000_000_000;

describe('splitInputLines', () => {
  it('splits LF and CRLF and does not count the final newline as a line', () => {
    expect(splitInputLines('a\nb\r\nc\n')).toEqual(['a', 'b', 'c']);
    expect(splitInputLines('a\nb')).toEqual(['a', 'b']);
    expect(splitInputLines('')).toEqual([]);
  });

  it('keeps blank lines so output line N stays input line N', () => {
    expect(splitInputLines('a\n\nb\n')).toEqual(['a', '', 'b']);
  });
});

describe('parseBatchLine', () => {
  it('takes a plain-text line as the prompt and fills the batch fields', () => {
    const p = parseBatchLine('Summarise Hamlet', 7, defaults, NOW);
    expect(p.kind).toBe('request');
    if (p.kind !== 'request') return;
    expect(p.request).toMatchObject({
      requestId: 'b1-7',
      tenant: 'acme',
      model: 'sim-small',
      prompt: 'Summarise Hamlet',
      priorityHint: 'batch',
      batchId: 'b1',
      batchIndex: 7,
      token: 'tok',
      createdAt: NOW,
    });
  });

  it('reads JSON lines with prompt or text, model and parameters', () => {
    const a = parseBatchLine('{"text":"hi","model":"other","parameters":{"maxTokens":5}}', 0, defaults, NOW);
    expect(a.kind === 'request' && a.request).toMatchObject({
      prompt: 'hi',
      model: 'other',
      parameters: { maxTokens: 5, temperature: 0.7, weight: 1 },
    });
    const t = parseBatchLine('{"templateId":"summary","slots":{"doc":"x"}}', 1, defaults, NOW);
    expect(t.kind === 'request' && t.request).toMatchObject({
      prompt: null,
      templateId: 'summary',
      slots: { doc: 'x' },
    });
  });

  it('makes deterministic request ids', () => {
    expect(batchRequestId('b1', 42)).toBe('b1-42');
    const a = parseBatchLine('x', 3, defaults, NOW);
    const b = parseBatchLine('x', 3, defaults, NOW + 5);
    expect(a.kind === 'request' && b.kind === 'request' && a.request.requestId === b.request.requestId).toBe(
      true,
    );
  });

  it.each([
    ['', 'empty line'],
    ['   ', 'empty line'],
    ['{"prompt": "unterminated', 'not valid JSON'],
    ['{"prompt": 5}', 'prompt'],
    ['{"prompt":"a","text":"b"}', 'not both'],
    ['{"prompt":"a","tenant":"evil"}', 'unknown field(s) tenant'],
    ['{"prompt":"a","token":"forged"}', 'unknown field(s) token'],
    ['{"prompt":"a","templateId":"t"}', 'exactly one of prompt or templateId'],
    ['{"prompt":"a","parameters":{"maxTokens":0}}', 'parameters.maxTokens'],
    ['{"prompt":"a","model":"bad model"}', 'model'],
  ])('marks %j invalid (%s) instead of sending it', (line, detail) => {
    const p = parseBatchLine(line, 9, defaults, NOW);
    expect(p).toMatchObject({ kind: 'invalid', index: 9, requestId: 'b1-9' });
    expect(p.kind === 'invalid' && p.detail).toContain(detail);
  });

  it('a line without a model is invalid when the batch has no default model', () => {
    const p = parseBatchLine('hello', 0, { ...defaults, model: null }, NOW);
    expect(p.kind === 'invalid' && p.detail).toContain('model');
    const q = parseBatchLine('{"prompt":"hello","model":"m1"}', 0, { ...defaults, model: null }, NOW);
    expect(q.kind === 'request' && q.request.model).toBe('m1');
  });

  it('never lets a line set the ids, tenant or token', () => {
    const p = parseBatchLine('{"prompt":"a","requestId":"x","batchId":"other"}', 0, defaults, NOW);
    expect(p.kind).toBe('invalid');
  });
});
