import { describe, expect, it } from 'vitest';
import type { PlannedRequest } from '../../../bin/demo/scenario.ts';
import { renderSummary, summarise } from '../../../bin/demo/summary.ts';
import type { Outcome } from '../../../pipeline/sdk/outcomes.ts';
import type { Rejection } from '../../../schemas/types.ts';

const plan = (id: string, kind: PlannedRequest['kind'], label: string = kind): PlannedRequest => ({
  atMs: 0,
  kind,
  label,
  request: { requestId: id, tenant: 't', model: 'm', prompt: 'p' },
});
const rejected = (id: string, code: string): Outcome => ({
  kind: 'rejected',
  requestId: id,
  rejection: { requestId: id, code } as Rejection,
});

describe('demo summary', () => {
  it('accounts for every request and counts attacks stopped and false positives', () => {
    const planned = [
      plan('a', 'benign'),
      plan('b', 'benign'),
      plan('c', 'attack', 'dan'),
      plan('d', 'attack', 'dan'),
    ];
    const outcomes = new Map<string, Outcome>([
      ['a', { kind: 'result', requestId: 'a', result: {} as never }],
      ['b', rejected('b', 'INJECTION_DETECTED')],
      ['c', rejected('c', 'RULE_MATCH')],
    ]);
    const s = summarise(planned, outcomes, { preemptions: 1, alerts: [] });
    expect(s).toMatchObject({ submitted: 4, results: 1, rejected: 2, missing: 1, accountedFor: false });
    expect(s.attackFamilies).toEqual([{ family: 'dan', submitted: 2, stopped: 1 }]);
    expect(s.allAttacksStopped).toBe(false);
    expect(s.falsePositives).toBe(1);
    outcomes.set('d', { kind: 'quarantined', requestId: 'd', score: 0.7 });
    const all = summarise(planned, outcomes, { preemptions: 1, alerts: ['x'] });
    expect(all).toMatchObject({ accountedFor: true, allAttacksStopped: true, quarantined: 1 });
    expect(renderSummary(all)).toMatch(/= 4 of 4 submitted ✓/);
  });
});

describe('demo scenario', () => {
  it('plans every kind of traffic, in time order, the same way each time', async () => {
    const { buildScenario } = await import('../../../bin/demo/scenario.ts');
    const tokens = {
      jwksFile: '',
      good: { acme: 'a', globex: 'g', initech: 'i', hooli: 'h' },
      forged: 'f',
      expired: 'e',
      otherTenant: 'g',
      lowWeight: 'l',
    };
    const a = buildScenario(tokens, { durationMs: 60_000, model: 'm', runId: 'r' });
    const b = buildScenario(tokens, { durationMs: 60_000, model: 'm', runId: 'r' });
    expect(a).toEqual(b);
    expect(new Set(a.requests.map((r) => r.kind))).toEqual(
      new Set(['benign', 'batch', 'urgent', 'burst', 'attack', 'credential attack', 'policy']),
    );
    expect(a.requests.every((r, i) => i === 0 || a.requests[i - 1]!.atMs <= r.atMs)).toBe(true);
    expect(new Set(a.requests.map((r) => r.request.requestId)).size).toBe(a.requests.length);
    expect(a.brownOut.startMs).toBeLessThan(a.brownOut.endMs);
  });
});
