import { describe, expect, it } from 'vitest';
import {
  ERROR_TYPE_BUCKETS,
  errorTypeOf,
  FEATURE_DIMENSIONS,
  fnv1a,
  rawFeatures,
  SPAN_KINDS,
  signatureOf,
  standardise,
} from '../../../analytics/features.ts';
import { KNOWN_STAGES } from '../../../analytics/span-attributes.ts';
import type { SpanEvent } from '../../../schemas/types.ts';

function span(over: Partial<SpanEvent> = {}, attributes: Record<string, string> = {}): SpanEvent {
  return {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: null,
    name: 'stage.auth',
    kind: 'consumer',
    service: 'redline-auth',
    startTimeMs: 1_000,
    durationMs: 99,
    statusCode: 2,
    statusMessage: null,
    attributes: { 'redline.stage': 'auth', 'error.type': 'AUTH_EXPIRED', ...attributes },
    ...over,
  };
}

const STAGE_OFFSET = SPAN_KINDS.length;
const ERROR_OFFSET = STAGE_OFFSET + KNOWN_STAGES.length + 1;
const HTTP_OFFSET = ERROR_OFFSET + ERROR_TYPE_BUCKETS;

describe('rawFeatures', () => {
  it('one-hot encodes kind, stage, hashed error type and HTTP class, then log10 of the duration', () => {
    const v = rawFeatures(span());
    expect(v).toHaveLength(FEATURE_DIMENSIONS);
    expect(v.slice(0, SPAN_KINDS.length)).toEqual([0, 0, 0, 0, 1]); // consumer
    expect(v[STAGE_OFFSET + KNOWN_STAGES.indexOf('auth')]).toBe(1);
    expect(v[ERROR_OFFSET + (fnv1a('AUTH_EXPIRED') % ERROR_TYPE_BUCKETS)]).toBe(1);
    expect(v[HTTP_OFFSET]).toBe(1); // no HTTP status
    expect(v[FEATURE_DIMENSIONS - 1]).toBeCloseTo(2); // log10(1 + 99)
    // Exactly four one-hot groups are set.
    expect(v.slice(0, -1).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('puts unknown stages in the "other" column and reads the HTTP status class', () => {
    const v = rawFeatures(
      span({ kind: 'client' }, { 'redline.stage': 'mystery', 'http.response.status_code': '503' }),
    );
    expect(v[STAGE_OFFSET + KNOWN_STAGES.length]).toBe(1);
    expect(v[HTTP_OFFSET + 2]).toBe(1);
    expect(rawFeatures(span({}, { 'http.response.status_code': '429' }))[HTTP_OFFSET + 1]).toBe(1);
  });

  it('takes the error type from error.type, else the reason code, else "unknown"', () => {
    expect(errorTypeOf(span())).toBe('AUTH_EXPIRED');
    const reasonOnly = span();
    delete reasonOnly.attributes['error.type'];
    reasonOnly.attributes['redline.reason_code'] = 'RULE_MATCH';
    expect(errorTypeOf(reasonOnly)).toBe('RULE_MATCH');
    delete reasonOnly.attributes['redline.reason_code'];
    expect(errorTypeOf(reasonOnly)).toBe('unknown');
    expect(signatureOf(span())).toBe('auth|stage.auth|AUTH_EXPIRED');
  });

  it('never yields NaN for odd durations', () => {
    expect(rawFeatures(span({ durationMs: -5 })).every(Number.isFinite)).toBe(true);
    expect(rawFeatures(span({ durationMs: 0 }))[FEATURE_DIMENSIONS - 1]).toBe(0);
  });
});

describe('standardise', () => {
  it('gives each varying column mean 0 and standard deviation 1, and zeroes constant columns', () => {
    const { points } = standardise([
      [1, 5, 0],
      [3, 5, 10],
      [5, 5, 20],
    ]);
    const col = (j: number) => points.map((p) => p[j]!);
    for (const j of [0, 2]) {
      const mean = col(j).reduce((a, b) => a + b, 0) / 3;
      const variance = col(j).reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
      expect(mean).toBeCloseTo(0);
      expect(variance).toBeCloseTo(1);
    }
    expect(col(1)).toEqual([0, 0, 0]);
    expect(standardise([]).points).toEqual([]);
  });
});
