import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config/load.ts';
import { collectorGroupId, lineFromRecord } from '../../../pipeline/sdk/batch/collector.ts';
import { codecFor } from '../../../schemas/codec.ts';
import type { ClearedRequest, InferenceResult, Rejection } from '../../../schemas/types.ts';

// Which records the batch collector keeps: only this batch's, with an index inside the batch and
// the request id the batch gave that index.

const config = loadConfig({ env: { REDLINE_TOPICS_PREFIX: 'u.' } });

const result = (over: Partial<InferenceResult> = {}): InferenceResult => ({
  requestId: 'b1-3',
  tenant: 'acme',
  model: 'sim',
  output: 'hello',
  redactions: [],
  timings: { queueWaitMs: 0, backendMs: 0, totalMs: 0 },
  preemptions: 0,
  batchId: 'b1',
  batchIndex: 3,
  completedAt: 0,
  ...over,
});

const asResult = (r: InferenceResult) => ({ value: codecFor('InferenceResult').encode(r), headers: {} });

describe('lineFromRecord', () => {
  it("keeps this batch's result as its line", () => {
    expect(lineFromRecord(config, 'b1', 10, 'u.results', asResult(result()))).toEqual({
      index: 3,
      requestId: 'b1-3',
      status: 'result',
      output: 'hello',
    });
  });

  it.each([
    ['another batch', { batchId: 'b2', requestId: 'b2-3' }],
    ['no batch', { batchId: null, batchIndex: null, requestId: 'x' }],
    ['an index past the end', { batchIndex: 10, requestId: 'b1-10' }],
    ['a request id that does not match the index', { requestId: 'b1-4' }],
  ])('ignores a record of %s', (_name, over) => {
    expect(lineFromRecord(config, 'b1', 10, 'u.results', asResult(result(over)))).toBeNull();
  });

  it('ignores what it cannot decode', () => {
    expect(
      lineFromRecord(config, 'b1', 10, 'u.results', { value: Buffer.from('junk'), headers: {} }),
    ).toBeNull();
  });

  it('reads rejections and quarantine records (with the reason header)', () => {
    const rejection: Rejection = {
      requestId: 'b1-0',
      tenant: 'acme',
      stage: 'auth',
      code: 'AUTH_EXPIRED',
      detail: 'token expired',
      batchId: 'b1',
      batchIndex: 0,
      rejectedAt: 0,
    };
    expect(
      lineFromRecord(config, 'b1', 10, 'u.rejected', {
        value: codecFor('Rejection').encode(rejection),
        headers: {},
      }),
    ).toMatchObject({ index: 0, status: 'rejected', code: 'AUTH_EXPIRED', stage: 'auth' });

    const held: ClearedRequest = {
      requestId: 'b1-1',
      tenant: 'acme',
      sessionId: null,
      model: 'sim',
      operation: 'chat',
      prompt: 'p',
      templateId: null,
      slots: {},
      parameters: { maxTokens: 1, temperature: 0, weight: 1 },
      priorityHint: 'batch',
      batchId: 'b1',
      batchIndex: 1,
      createdAt: 0,
      producer: {},
      principal: { subject: 's', tenant: 'acme', roles: ['r'], tier: 'batch', weightLevel: null },
      renderedPrompt: 'p',
      normalizedPrompt: 'p',
      findings: [],
      fingerprintScore: 0,
      detection: { score: 0.7, modelVersion: 'v' },
    };
    const value = codecFor('ClearedRequest').encode(held);
    expect(
      lineFromRecord(config, 'b1', 10, 'u.quarantine', {
        value,
        headers: { 'redline-reason': Buffer.from('INJECTION_SUSPECTED') },
      }),
    ).toMatchObject({ index: 1, status: 'quarantined', code: 'INJECTION_SUSPECTED' });
  });

  it('names the consumer group after the batch', () => {
    expect(collectorGroupId(config, 'b1')).toBe('u.batch.b1');
  });
});
