import { describe, expect, it } from 'vitest';
import {
  assembleOutput,
  type BatchLine,
  describeSummary,
  invalidLine,
  lineFromQuarantine,
  lineFromRejection,
  lineFromResult,
  summarise,
} from '../../../pipeline/sdk/batch/output.ts';
import type { ClearedRequest, InferenceResult, Rejection } from '../../../schemas/types.ts';

const result = (i: number): InferenceResult => ({
  requestId: `b-${i}`,
  tenant: 'acme',
  model: 'sim',
  output: `out ${i}`,
  redactions: [],
  timings: { queueWaitMs: 1, backendMs: 2, totalMs: 3 },
  preemptions: 0,
  batchId: 'b',
  batchIndex: i,
  completedAt: 0,
});

const rejection = (i: number, code: string): Rejection => ({
  requestId: `b-${i}`,
  tenant: 'acme',
  stage: 'sanitize',
  code,
  detail: 'matched a rule',
  batchId: 'b',
  batchIndex: i,
  rejectedAt: 0,
});

describe('outcome lines', () => {
  it('keeps only what the output file promises', () => {
    expect(lineFromResult(result(2), 2)).toEqual({
      index: 2,
      requestId: 'b-2',
      status: 'result',
      output: 'out 2',
    });
    expect(lineFromRejection(rejection(3, 'RULE_MATCH'), 3)).toEqual({
      index: 3,
      requestId: 'b-3',
      status: 'rejected',
      code: 'RULE_MATCH',
      detail: 'matched a rule',
      stage: 'sanitize',
    });
    const held = {
      requestId: 'b-4',
      batchId: 'b',
      batchIndex: 4,
      detection: { score: 0.8, modelVersion: 'v' },
    };
    expect(lineFromQuarantine(held as ClearedRequest, 4, 'INJECTION_SUSPECTED')).toMatchObject({
      status: 'quarantined',
      code: 'INJECTION_SUSPECTED',
    });
    expect(invalidLine(5, 'b-5', 'empty line')).toEqual({
      index: 5,
      requestId: 'b-5',
      status: 'invalid',
      code: 'INVALID_REQUEST',
      detail: 'empty line',
    });
  });
});

describe('assembleOutput', () => {
  it('writes one line per index in input order, whatever order outcomes arrived in', () => {
    const lines = new Map<number, BatchLine>();
    for (const i of [4, 0, 3, 1, 2]) {
      lines.set(i, i === 3 ? lineFromRejection(rejection(i, 'RULE_MATCH'), i) : lineFromResult(result(i), i));
    }
    const out = assembleOutput(5, lines).map((l) => JSON.parse(l) as BatchLine);
    expect(out.map((l) => l.index)).toEqual([0, 1, 2, 3, 4]);
    expect(out.map((l) => l.requestId)).toEqual(['b-0', 'b-1', 'b-2', 'b-3', 'b-4']);
    expect(out[3]).toMatchObject({ status: 'rejected', code: 'RULE_MATCH' });
  });

  it('refuses to write while a line has no outcome', () => {
    const lines = new Map<number, BatchLine>([[0, lineFromResult(result(0), 0)]]);
    expect(() => assembleOutput(3, lines)).toThrow(/2 of 3 lines have no outcome yet \(first: 1, 2\)/);
  });

  it('ignores outcomes outside the batch', () => {
    const lines = new Map<number, BatchLine>([
      [0, lineFromResult(result(0), 0)],
      [7, lineFromResult(result(7), 7)],
    ]);
    expect(assembleOutput(1, lines)).toHaveLength(1);
  });
});

describe('summarise', () => {
  it('counts by status and by code', () => {
    const s = summarise(4, [
      lineFromResult(result(0), 0),
      lineFromRejection(rejection(1, 'RULE_MATCH'), 1),
      lineFromRejection(rejection(2, 'RULE_MATCH'), 2),
      invalidLine(3, 'b-3', 'empty line'),
    ]);
    expect(s).toEqual({
      total: 4,
      byStatus: { result: 1, rejected: 2, quarantined: 0, invalid: 1 },
      byCode: { RULE_MATCH: 2, INVALID_REQUEST: 1 },
    });
    expect(describeSummary(s)).toContain('1 results, 2 rejected, 0 quarantined, 1 invalid (of 4 lines)');
  });
});
