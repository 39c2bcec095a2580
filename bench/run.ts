import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from './types.ts';

// `npm run bench [-- --quick] [-- --only NAME]`: runs every bench/*.bench.ts in turn, each in a
// fresh process with this one's Node flags (bench/section.ts), prints each row with its ratio to
// the baseline measured in the same run, and writes bench/results/latest.json and
// bench/results/latest.md (the table the README shows).

const dir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.startsWith(only))
  .sort();

/** Figures to three significant digits (whole numbers from 100 up): ratios matter, not noise. */
const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(3)));

/** Runs one section in a child process; its rows come back through a file (its stdout is its own). */
async function runSection(file: string): Promise<BenchSection> {
  const out = join(scratch, `${file}.json`);
  const args = [...process.execArgv, join(dir, '..', 'bin', 'run-ts.js'), join(dir, 'section.ts')];
  const child = spawn(process.execPath, [...args, join(dir, file), out, ...(quick ? ['--quick'] : [])], {
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the section's process exited with code ${code}`);
  return JSON.parse(readFileSync(out, 'utf8')) as BenchSection;
}

const scratch = mkdtempSync(join(tmpdir(), 'redline-bench-'));
const sections: BenchSection[] = [];
const failures: string[] = [];
for (const file of files) {
  process.stderr.write(`\n== ${file}${quick ? ' (quick)' : ''}\n`);
  try {
    const section = await runSection(file);
    sections.push(section);
    for (const row of section.rows) {
      const ratio = row.ratio === undefined ? '' : `  ratio ${row.ratio.toFixed(2)}`;
      const base = row.baseline ? ` vs ${fmt(row.baseline.value)} (${row.baseline.name})` : '';
      const goal = row.goal ? `  goal ${row.goal}: ${row.met ? 'met' : 'NOT met'}` : '';
      console.log(`${section.section} | ${row.name}: ${fmt(row.value)} ${row.unit}${base}${ratio}${goal}`);
    }
  } catch (err) {
    failures.push(`${file}: ${(err as Error).message}`);
    console.error(`${file} failed: ${(err as Error).stack}`);
  }
}
rmSync(scratch, { recursive: true, force: true });

const results = join(dir, 'results');
mkdirSync(results, { recursive: true });
const meta = {
  date: new Date().toISOString(),
  quick,
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
};
writeFileSync(join(results, 'latest.json'), `${JSON.stringify({ ...meta, sections, failures }, null, 2)}\n`);
const md = [
  `Measured ${meta.date.slice(0, 10)}${quick ? ' (quick)' : ''} on ${meta.cpus} shared cores, Node ${meta.node}; ratios are against a baseline measured in the same run.`,
  '',
  '| section | measurement | value | baseline | ratio | goal |',
  '|---|---|---|---|---|---|',
  ...sections.flatMap((s) =>
    s.rows.map(
      (r) =>
        `| ${s.section} | ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.baseline ? `${fmt(r.baseline.value)} (${r.baseline.name})` : ''} | ${r.ratio?.toFixed(2) ?? ''} | ${r.goal ? `${r.goal} ${r.met ? '✓' : '✗'}` : ''} |`,
    ),
  ),
  '',
].join('\n');
writeFileSync(join(results, 'latest.md'), md);
// The README shows the latest full run's table (a quick run does not replace it).
const readmePath = join(dir, '..', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const [start, end] = ['<!-- bench:start -->', '<!-- bench:end -->'];
if (!quick && !only && readme.includes(start) && readme.includes(end)) {
  writeFileSync(
    readmePath,
    `${readme.slice(0, readme.indexOf(start) + start.length)}\n${md}${readme.slice(readme.indexOf(end))}`,
  );
}
console.log(
  `\nwrote bench/results/latest.json and latest.md${failures.length ? ` (${failures.length} sections failed)` : ''}`,
);
process.exit(failures.length ? 1 : 0);
