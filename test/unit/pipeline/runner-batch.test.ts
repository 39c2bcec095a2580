import { describe, expect, it } from 'vitest';
import { RedlineError } from '../../../pipeline/errors.ts';
import { processChunk, type RawMessage } from '../../../pipeline/runner-batch.ts';
import type { StageDefinition } from '../../../pipeline/stage.ts';
import { pass, quarantine, reject } from '../../../pipeline/verdict.ts';
import { codecFor } from '../../../schemas/codec.ts';
import type { InferenceRequest } from '../../../schemas/types.ts';
import { makeRequest } from '../../helpers/requests.ts';

const codec = codecFor('InferenceRequest');

function raw(value: Buffer | null, offset: number): RawMessage {
  return {
    topic: 'in',
    partition: 0,
    offset: String(offset),
    key: Buffer.from(`k${offset}`),
    value,
    headers: { 'x-custom': 'kept' },
  };
}

const stage: StageDefinition = {
  name: 'test',
  input: 'requests',
  inputType: 'InferenceRequest',
  output: 'authorized',
  outputType: 'InferenceRequest',
  core: (input) => {
    const r = input as InferenceRequest;
    if (r.prompt === 'bad') return reject('RULE_MATCH', 'matched a rule');
    if (r.prompt === 'grey') return quarantine(r, 'INJECTION_SUSPECTED', 'grey zone');
    if (r.prompt === 'throw') throw new Error('boom');
    if (r.prompt === 'outage')
      throw new RedlineError('AUTH_KEYS_UNAVAILABLE', 'jwks down', { retryable: true });
    return pass({ ...r, tenant: 'changed' });
  },
};

describe('processChunk', () => {
  it('routes each verdict to its topic, parks undecodable and poison messages, keeps headers', async () => {
    const messages = [
      raw(codec.encode(makeRequest({ prompt: 'ok' })), 1),
      raw(codec.encode(makeRequest({ prompt: 'bad', batchId: 'b', batchIndex: 4 })), 2),
      raw(codec.encode(makeRequest({ prompt: 'grey' })), 3),
      raw(codec.encode(makeRequest({ prompt: 'throw' })), 4),
      raw(Buffer.from('garbage'), 5),
    ];
    const out = await processChunk(stage, messages, { now: 42, concurrency: 2 });
    expect(out.records.map((r) => r.topic)).toEqual(['authorized', 'rejected', 'quarantine', 'dlq', 'dlq']);
    expect(codec.decode(out.records[0]!.value).tenant).toBe('changed');
    expect(out.records[0]!.headers['x-custom']).toBe('kept');
    const rejection = codecFor('Rejection').decode(out.records[1]!.value);
    expect(rejection).toMatchObject({
      code: 'RULE_MATCH',
      stage: 'test',
      batchId: 'b',
      batchIndex: 4,
      rejectedAt: 42,
    });
    const dlq = codecFor('DlqRecord').decode(out.records[4]!.value);
    expect(dlq).toMatchObject({ errorCode: 'DECODE_FAILED', sourceTopic: 'in', offset: '5', stage: 'test' });
    expect(dlq.value?.toString()).toBe('garbage');
    expect(codecFor('DlqRecord').decode(out.records[3]!.value).errorCode).toBe('CORE_FAILED');
    expect(out.counts.in).toBe(5);
    expect(out.counts.out).toBe(1);
    expect(out.counts.quarantined).toBe(1);
    expect(Object.fromEntries(out.counts.rejected)).toEqual({ RULE_MATCH: 1 });
    expect(Object.fromEntries(out.counts.dlq)).toEqual({ CORE_FAILED: 1, DECODE_FAILED: 1 });
  });

  it('hands passing outputs to deliver() instead of a topic when the stage has one', async () => {
    const delivering: StageDefinition = { ...stage, deliver: async () => {} };
    const out = await processChunk(delivering, [raw(codec.encode(makeRequest({ prompt: 'ok' })), 1)], {
      now: 1,
      concurrency: 1,
    });
    expect(out.records).toHaveLength(0);
    expect(out.delivered.outputs).toHaveLength(1);
  });

  it('fails the whole chunk (to be retried) when a dependency is down, instead of dead-lettering', async () => {
    const messages = [
      raw(codec.encode(makeRequest({ prompt: 'ok' })), 1),
      raw(codec.encode(makeRequest({ prompt: 'outage' })), 2),
    ];
    await expect(processChunk(stage, messages, { now: 1, concurrency: 1 })).rejects.toMatchObject({
      code: 'AUTH_KEYS_UNAVAILABLE',
    });
  });
});

describe('trace context', () => {
  it('carries the W3C trace id from input headers to output headers without the telemetry SDK', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const message = { ...raw(codec.encode(makeRequest({ prompt: 'ok' })), 1), headers: { traceparent } };
    const out = await processChunk(stage, [message], { now: 1, concurrency: 1 });
    expect(out.records[0]!.headers.traceparent).toMatch(
      /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/,
    );
  });
});
