import { describe, expect, it } from 'vitest';
import { analyticsConfigSchema } from '../../../analytics/config.ts';
import { AnalyticsEngine, type WindowOutcome } from '../../../analytics/engine.ts';
import {
  INCIDENT_SIGNATURES,
  INCIDENTS,
  type IncidentKind,
  syntheticStream,
} from '../../../analytics/synthetic-spans.ts';
import type { SpanEvent } from '../../../schemas/types.ts';

// The whole pure path (windows → features → k-means → rules → baseline) on synthetic streams. The
// integration test runs the same scenarios through Kafka and Redis.

const config = analyticsConfigSchema.parse({});
const WINDOW_MS = config.windowMs;
const START = Math.floor(Date.UTC(2026, 2, 1) / WINDOW_MS) * WINDOW_MS;

function stream(seed: number, incident?: IncidentKind): SpanEvent[] {
  return syntheticStream({
    seed,
    windowMs: WINDOW_MS,
    startMs: START,
    windows: 7,
    requestsPerWindow: 200,
    ...(incident ? { incident: { kind: incident, fromWindow: 4, windows: 2, requestsPerWindow: 60 } } : {}),
  });
}

function run(spans: SpanEvent[], partitions = 1): WindowOutcome[] {
  const engine = new AnalyticsEngine(config);
  const out: WindowOutcome[] = [];
  for (const s of spans) {
    engine.add(s, Number.parseInt(s.traceId.slice(0, 4), 16) % partitions);
    out.push(...engine.closeReady());
  }
  return [...out, ...engine.closeAll()];
}

/** What the Redis cool-down lets through: the first alert per stage|span|errorType. */
function deduplicated(outcomes: WindowOutcome[]) {
  const seen = new Map<string, { stage: string; errorType: string; window: number }>();
  for (const o of outcomes) {
    for (const a of o.alerts) {
      const key = `${a.stage}|${a.spanName}|${a.errorType}`;
      if (!seen.has(key))
        seen.set(key, {
          stage: a.stage,
          errorType: a.errorType,
          window: (a.windowStart - START) / WINDOW_MS,
        });
    }
  }
  return [...seen.values()];
}

describe('analytics engine on synthetic span streams', () => {
  it('raises nothing for steady traffic with a background error rate (several seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const outcomes = run(stream(seed), 3);
      expect(outcomes).toHaveLength(7);
      expect(outcomes.reduce((n, o) => n + o.report.errorCount, 0)).toBeGreaterThan(100);
      expect(outcomes.flatMap((o) => o.candidates)).toEqual([]);
    }
  });

  for (const kind of INCIDENTS) {
    it(`raises one alert for "${kind}" naming the right stage and error type, within two windows (several seeds)`, () => {
      for (const seed of [11, 12, 13]) {
        const alerts = deduplicated(run(stream(seed, kind), 3));
        expect(alerts).toHaveLength(1);
        expect(alerts[0]).toMatchObject(INCIDENT_SIGNATURES[kind]);
        expect([4, 5]).toContain(alerts[0]!.window);
      }
    });
  }

  it('gives the same clusters for the same input and seed, whatever the arrival order', () => {
    const spans = stream(21, 'rule-storm');
    const reports = (o: WindowOutcome[]) => o.map((x) => x.report);
    const a = reports(run(spans, 1));
    expect(reports(run(spans, 1))).toEqual(a);
    const shuffled = [...spans].reverse();
    const engine = new AnalyticsEngine(config);
    for (const s of shuffled) engine.add(s);
    expect(reports(engine.closeAll())).toEqual(a);
  });

  it('waits out the warm-up: an incident in the very first windows raises nothing yet', () => {
    const spans = syntheticStream({
      seed: 5,
      windowMs: WINDOW_MS,
      startMs: START,
      windows: 2,
      requestsPerWindow: 100,
      incident: { kind: 'slow-redis', fromWindow: 0, windows: 2, requestsPerWindow: 60 },
    });
    expect(run(spans).flatMap((o) => o.alerts)).toEqual([]);
  });
});
