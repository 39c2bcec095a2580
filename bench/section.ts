import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchModule } from './types.ts';

// Runs one bench section in a process of its own (bench/run.ts starts one per section, so no
// section pays for the heap, connections or timers an earlier one left) and writes its rows to
// OUT as JSON: `node bin/run-ts.js bench/section.ts FILE OUT [--quick]`.

const [file, out, ...flags] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: node bin/run-ts.js bench/section.ts FILE OUT [--quick]');
  process.exit(2);
}
const mod = (await import(pathToFileURL(resolve(file)).href)) as BenchModule;
const section = await mod.run({ quick: flags.includes('--quick') });
writeFileSync(out, JSON.stringify(section));
process.exit(0);
