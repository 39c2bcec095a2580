import { describe, expect, it } from 'vitest';
import {
  Baseline,
  type BaselineWindow,
  evaluateAlerts,
  expectedCount,
  toAlert,
  toBaselineWindow,
} from '../../../analytics/alert-rules.ts';
import type { WindowReport } from '../../../analytics/analyze-window.ts';
import type { ClusterSummary } from '../../../analytics/summary.ts';

const rules = { minClusterSize: 10, growthFactor: 3, newClusterDistance: 1, warmupWindows: 2 };
const WINDOW = 60_000;

function cluster(over: Partial<ClusterSummary> & { signature: string }): ClusterSummary {
  const [stage = '', spanName = '', errorType = ''] = over.signature.split('|');
  return {
    id: 0,
    size: 50,
    share: 0.5,
    stage,
    spanName,
    errorType,
    signatureCount: over.size ?? 50,
    model: null,
    tenantHash: null,
    p50Ms: 3,
    p99Ms: 9,
    exemplarTraceIds: ['t1', 't2'],
    centroid: [1, 0, 0],
    ...over,
  };
}

function report(clusters: ClusterSummary[]): WindowReport {
  return {
    windowStart: 0,
    windowEnd: WINDOW,
    totalSpans: 1_000,
    errorCount: clusters.reduce((n, c) => n + c.size, 0),
    k: clusters.length,
    silhouette: 0.9,
    clusters,
    errorSpans: [],
    assignments: [],
    signatureCounts: {},
  };
}

const steady: BaselineWindow = {
  durationMs: WINDOW,
  centroids: [[1, 0, 0]],
  signatureCounts: { 'sanitize|stage.sanitize|RULE_MATCH': 8 },
};

describe('evaluateAlerts', () => {
  it('stays silent while the baseline warms up', () => {
    const r = report([cluster({ signature: 'enqueue|stage.enqueue|REDIS_TIMEOUT', centroid: [0, 5, 0] })]);
    expect(evaluateAlerts(r, [steady], rules)).toEqual([]);
    expect(evaluateAlerts(r, [steady, steady], rules)).toHaveLength(1);
  });

  it('calls a cluster far from every baseline centroid "new"', () => {
    const r = report([
      cluster({ signature: 'enqueue|stage.enqueue|REDIS_TIMEOUT', centroid: [0, 5, 0], share: 0.8 }),
    ]);
    const [c] = evaluateAlerts(r, [steady, steady], rules);
    expect(c).toMatchObject({ reason: 'new', severity: 'critical', expected: 0 });
    expect(c!.nearestDistance).toBeCloseTo(Math.sqrt(26));
  });

  it('calls a known cluster at several times its baseline rate "growing"', () => {
    const storm = cluster({
      signature: 'sanitize|stage.sanitize|RULE_MATCH',
      size: 30,
      centroid: [1, 0.1, 0],
    });
    const [c] = evaluateAlerts(report([storm]), [steady, steady], rules);
    expect(c).toMatchObject({ reason: 'growing', severity: 'warning', expected: 8 });
  });

  it('ignores clusters below the minimum size or below growthFactor × baseline', () => {
    const small = cluster({ signature: 'enqueue|stage.enqueue|REDIS_TIMEOUT', size: 9, centroid: [0, 5, 0] });
    const usual = cluster({ signature: 'sanitize|stage.sanitize|RULE_MATCH', size: 23 }); // < 3 × 8
    expect(evaluateAlerts(report([small, usual]), [steady, steady], rules)).toEqual([]);
  });

  it('does not alert when k-means merely regroups the usual errors (the signature itself is normal)', () => {
    const regrouped = cluster({
      signature: 'sanitize|stage.sanitize|RULE_MATCH',
      size: 40,
      signatureCount: 9,
      centroid: [0.3, 0.3, 0.3],
    });
    expect(evaluateAlerts(report([regrouped]), [steady, steady], rules)).toEqual([]);
  });

  it('scales the expected count to the window length', () => {
    expect(expectedCount([steady, steady], 'sanitize|stage.sanitize|RULE_MATCH', WINDOW / 2)).toBeCloseTo(4);
    expect(expectedCount([], 'x', WINDOW)).toBe(0);
  });
});

describe('baseline', () => {
  it('keeps the last N windows and leaves alerting clusters out', () => {
    const r: WindowReport = {
      ...report([
        cluster({ id: 0, signature: 'a|s|E1', centroid: [1] }),
        cluster({ id: 1, signature: 'b|s|E2', centroid: [2] }),
      ]),
      errorSpans: [
        { attributes: { 'redline.stage': 'a', 'error.type': 'E1' }, name: 's' },
        { attributes: { 'redline.stage': 'b', 'error.type': 'E2' }, name: 's' },
      ] as never,
      assignments: [0, 1],
    };
    const w = toBaselineWindow(r, new Set([1]));
    expect(w).toEqual({ durationMs: WINDOW, centroids: [[1]], signatureCounts: { 'a|s|E1': 1 } });
    const b = new Baseline(2);
    b.push(w);
    b.push(w);
    b.push({ ...w, durationMs: 1 });
    expect(b.current.map((x) => x.durationMs)).toEqual([WINDOW, 1]);
  });
});

describe('toAlert', () => {
  it('describes the cluster and links the first exemplar trace in Jaeger', () => {
    const c = cluster({
      signature: 'backend|backend.call|BACKEND_TIMEOUT',
      model: 'llama-3-70b',
      p50Ms: 15_000,
      p99Ms: 15_040,
    });
    const alert = toAlert(
      { cluster: c, reason: 'new', severity: 'critical', expected: 0, nearestDistance: 3 },
      report([c]),
      'http://jaeger:16686/',
    );
    expect(alert).toMatchObject({
      severity: 'critical',
      reason: 'new',
      stage: 'backend',
      spanName: 'backend.call',
      errorType: 'BACKEND_TIMEOUT',
      clusterSize: 50,
      exemplarTraceIds: ['t1', 't2'],
      link: 'http://jaeger:16686/trace/t1',
    });
    expect(alert.summary).toContain('BACKEND_TIMEOUT');
    expect(alert.summary).toContain('model llama-3-70b');
    expect(alert.summary).toContain('p99 15.0 s');
    expect(alert.alertId).toMatch(/^[0-9a-f]{24}$/);
    expect(
      toAlert(
        { cluster: c, reason: 'new', severity: 'critical', expected: 0, nearestDistance: 3 },
        report([c]),
      ).link,
    ).toBeNull();
  });
});
