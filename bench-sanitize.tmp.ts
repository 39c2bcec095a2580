import { run } from './bench/sanitize.bench.ts';
const quick = process.argv[2] === 'quick';
const r = await run({ quick });
for (const row of r.rows) console.log(JSON.stringify(row));
