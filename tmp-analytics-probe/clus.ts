import { clusterPoints } from '../analytics/clustering.ts';
import { rawFeatures, standardise } from '../analytics/features.ts';
import { INCIDENTS, syntheticStream } from '../analytics/synthetic-spans.ts';
import { seededRandom } from '../analytics/random.ts';
const errs = INCIDENTS.flatMap((kind, i) => syntheticStream({ seed: i, windowMs: 60000, startMs: 0, windows: 4, requestsPerWindow: 1000, incident: { kind, fromWindow: 0, windows: 4, requestsPerWindow: 100 } }).filter((s) => s.statusCode === 2));
console.log('distinct error spans', errs.length);
const rand = seededRandom(1);
for (const n of [1000, 10000, 100000]) {
  const spans = Array.from({ length: n }, (_, i) => { const s = errs[i % errs.length]!; return { ...s, durationMs: s.durationMs * (0.8 + 0.4 * rand()) }; });
  const t0 = performance.now();
  const { points } = standardise(spans.map(rawFeatures));
  const t1 = performance.now();
  const c = clusterPoints(points, { maxK: 8, seed: 42, maxIterations: 100, selectionSampleSize: 1000 });
  const t2 = performance.now();
  console.log(n, 'features', (t1 - t0).toFixed(0), 'cluster', (t2 - t1).toFixed(0), 'k', c.k, 'conv', c.converged);
}
