import { clusterPoints } from '../analytics/clustering.ts';
import { analyticsConfigSchema } from '../analytics/config.ts';
import { AnalyticsEngine } from '../analytics/engine.ts';
import { rawFeatures, standardise } from '../analytics/features.ts';
import { seededRandom } from '../analytics/random.ts';
import { INCIDENTS, syntheticStream } from '../analytics/synthetic-spans.ts';
import { codecFor } from '../schemas/codec.ts';
import type { SpanEvent } from '../schemas/types.ts';
import type { BenchRow, BenchSection } from './types.ts';

// The analytics consumer's work per span (Avro decode, event-time windowing, feature extraction,
// and the clustering + rules of every window that closes on the way) against a bare Avro decode
// loop over the same frames, in alternating rounds on one core. Kafka fetches are left out: they
// are the runner benchmark's subject. Then k-means with k chosen by silhouette on 1,000, 10,000
// and 100,000 error spans, as ratios to the 1,000 case.

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const config = analyticsConfigSchema.parse({});
const BATCH = 500; // closeReady() once per fetched batch, as the consumer does

function frames(quick: boolean): Buffer[] {
  const codec = codecFor('SpanEvent');
  const spans = syntheticStream({
    seed: 1,
    windowMs: config.windowMs,
    startMs: 0,
    windows: quick ? 4 : 10,
    requestsPerWindow: quick ? 1_000 : 2_000,
    incident: { kind: 'rule-storm', fromWindow: 2, windows: 1, requestsPerWindow: 200 },
  });
  return spans.map((s) => codec.encode(s));
}

function decodeOnly(input: readonly Buffer[]): number {
  const codec = codecFor('SpanEvent');
  let sink = 0;
  for (const f of input) sink += codec.decode(f).durationMs;
  return sink;
}

function consume(input: readonly Buffer[]): number {
  const codec = codecFor('SpanEvent');
  const engine = new AnalyticsEngine(config);
  let windows = 0;
  for (let i = 0; i < input.length; i++) {
    engine.add(codec.decode(input[i]), i % 3);
    if (i % BATCH === BATCH - 1) windows += engine.closeReady().length;
  }
  return windows + engine.closeAll().length;
}

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function errorSpans(n: number): SpanEvent[] {
  const pool = INCIDENTS.flatMap((kind, i) =>
    syntheticStream({
      seed: 10 + i,
      windowMs: config.windowMs,
      startMs: 0,
      windows: 2,
      requestsPerWindow: 1_000,
      incident: { kind, fromWindow: 0, windows: 2, requestsPerWindow: 100 },
    }).filter((s) => s.statusCode === 2),
  );
  const rand = seededRandom(7);
  // Repeats the pool with jittered durations: realistic mixes of stage/error classes at any size.
  return Array.from({ length: n }, (_, i) => {
    const s = pool[i % pool.length]!;
    return { ...s, durationMs: s.durationMs * (0.8 + 0.4 * rand()) };
  });
}

function clusterMs(spans: readonly SpanEvent[]): { ms: number; k: number } {
  const start = performance.now();
  const { points } = standardise(spans.map(rawFeatures));
  const c = clusterPoints(points, config);
  return { ms: performance.now() - start, k: c.k };
}

export async function run({ quick }: { quick: boolean }): Promise<BenchSection> {
  const input = frames(quick);
  decodeOnly(input); // warm-up (JIT, codec caches)
  consume(input);
  const rounds = quick ? 3 : 5;
  const bare: number[] = [];
  const full: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Which side goes first alternates, so a burst of load elsewhere does not always hit one side.
    if (r % 2 === 0) {
      bare.push(timed(() => decodeOnly(input)));
      full.push(timed(() => consume(input)));
    } else {
      full.push(timed(() => consume(input)));
      bare.push(timed(() => decodeOnly(input)));
    }
  }
  const spansPerSecond = Math.round(input.length / (median(full) / 1000));
  const decodePerSecond = Math.round(input.length / (median(bare) / 1000));
  const rows: BenchRow[] = [
    {
      name: `consumer work (decode + windows + features + clustering of closed windows), ${input.length} spans`,
      value: spansPerSecond,
      unit: 'spans/s',
      baseline: { name: 'bare Avro decode loop, same spans', value: decodePerSecond },
      ratio: spansPerSecond / decodePerSecond,
      goal: '≥ 20,000 spans/s on one core',
      met: spansPerSecond >= 20_000,
    },
  ];

  const sizes = [1_000, 10_000, 100_000];
  const times = new Map<number, { ms: number; k: number }>();
  for (const n of sizes) {
    const spans = errorSpans(n);
    const reps = n >= 100_000 || quick ? 1 : 3;
    const runs = Array.from({ length: reps }, () => clusterMs(spans));
    times.set(n, { ms: median(runs.map((r) => r.ms)), k: runs[0]!.k });
  }
  const base = times.get(1_000)!;
  for (const n of sizes) {
    const t = times.get(n)!;
    rows.push({
      name: `k-means, k by silhouette (2..${config.maxK}), ${n.toLocaleString('en')} error spans`,
      value: Math.round(t.ms),
      unit: 'ms',
      baseline: { name: '1,000 error spans', value: Math.round(base.ms) },
      ratio: t.ms / base.ms,
      notes: `k=${t.k}; ${n / 1_000}× the spans; k is chosen on a ${config.selectionSampleSize}-span sample (silhouette is O(n²)), the final fit is linear in n`,
    });
  }
  return { section: 'analytics', rows };
}
