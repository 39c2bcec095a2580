import { run } from './pool.bench.ts';

const r = await run({ quick: process.argv[2] !== 'full' });
console.log(JSON.stringify(r, null, 2));
process.exit(0);
