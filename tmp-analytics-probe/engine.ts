import { analyticsConfigSchema } from '../analytics/config.ts';
import { AnalyticsEngine } from '../analytics/engine.ts';
import { INCIDENTS, syntheticStream } from '../analytics/synthetic-spans.ts';
const cfg = analyticsConfigSchema.parse({});
for (const kind of [undefined, ...INCIDENTS]) {
  const spans = syntheticStream({ seed: 7, windowMs: 60000, startMs: 1_800_000_000_000 - (1_800_000_000_000 % 60000), windows: 8, requestsPerWindow: 300, ...(kind ? { incident: { kind, fromWindow: 4, windows: 2, requestsPerWindow: 80 } } : {}) });
  const e = new AnalyticsEngine(cfg);
  const t0 = performance.now();
  for (const s of spans) e.add(s);
  const out = [...e.closeReady(), ...e.closeAll()];
  console.log(kind ?? 'steady', spans.length, 'spans', (performance.now() - t0).toFixed(0), 'ms');
  const seen = new Set<string>();
  for (const o of out) {
    console.log('  w', (o.report.windowStart / 60000) % 100, 'err', o.report.errorCount, 'k', o.report.k, 'sil', o.report.silhouette?.toFixed(2), o.report.clusters.map((c) => `${c.signature}:${c.size}/${c.signatureCount}`).join(' '));
    for (const c of o.candidates) console.log('    CAND', c.reason, c.severity, c.cluster.signature, c.cluster.signatureCount, 'exp', c.expected.toFixed(1), 'd', c.nearestDistance.toFixed(2), seen.has(c.cluster.signature) ? '(dup)' : '');
    for (const c of o.candidates) seen.add(c.cluster.signature);
  }
  for (const o of out) for (const a of o.alerts) console.log('   ', a.summary);
}
