import { run } from '../bench/output-scan.bench.ts';
const s = await run({ quick: true });
for (const r of s.rows) console.log(r.name, '|', r.value.toFixed(3), r.unit, '| base', r.baseline?.value.toFixed(3), '| ratio', r.ratio?.toFixed(2), r.met ?? '');
