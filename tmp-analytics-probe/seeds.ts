import { analyticsConfigSchema } from '../analytics/config.ts';
import { AnalyticsEngine } from '../analytics/engine.ts';
import { INCIDENTS, INCIDENT_SIGNATURES, syntheticStream } from '../analytics/synthetic-spans.ts';
const cfg = analyticsConfigSchema.parse({});
let bad = 0;
for (let seed = 1; seed <= 40; seed++) for (const kind of [undefined, ...INCIDENTS]) {
  const spans = syntheticStream({ seed, windowMs: 60000, startMs: 1_800_000_000_000 - (1_800_000_000_000 % 60000), windows: 7, requestsPerWindow: 200, ...(kind ? { incident: { kind, fromWindow: 4, windows: 2, requestsPerWindow: 60 } } : {}) });
  const e = new AnalyticsEngine(cfg);
  for (const s of spans) e.add(s, parseInt(s.traceId.slice(0, 2), 16) % 3);
  const out = [...e.closeReady(), ...e.closeAll()];
  const seen = new Map<string, number>();
  for (const o of out) for (const a of o.alerts) if (!seen.has(`${a.stage}|${a.spanName}|${a.errorType}`)) seen.set(`${a.stage}|${a.spanName}|${a.errorType}`, (a.windowStart - out[0]!.report.windowStart) / 60000);
  const want = kind ? INCIDENT_SIGNATURES[kind] : undefined;
  const ok = kind ? seen.size === 1 && [...seen.keys()][0]!.startsWith(want!.stage + '|') && [...seen.keys()][0]!.endsWith('|' + want!.errorType) && [...seen.values()][0]! <= 5 : seen.size === 0;
  if (!ok) { bad++; console.log('seed', seed, kind ?? 'steady', [...seen.entries()]); }
}
console.log('bad', bad);
