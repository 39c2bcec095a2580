import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { WorkerPool } from '../../workers/pool/pool.ts';
import { enqueue, jobData, poolConfig, poolHarness, waitFor } from '../unit/pool/fixtures/pool-env.ts';
import { WaitBackend } from '../unit/pool/fixtures/wait-backend.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** Starts fixtures/pool-process.ts; resolves once it serves, with the lines it printed so far (and later). */
async function spawnPool(config: RedlineConfig, model: string, delayMs: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/run-ts.js', 'test/unit/pool/fixtures/pool-process.ts'],
    {
      env: {
        ...process.env,
        REDLINE_TOPICS_PREFIX: config.topics.prefix,
        POOL_MODEL: model,
        POOL_DELAY_MS: String(delayMs),
        REDLINE_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  await waitFor(() => lines.includes('ready'), 30_000, 'child pool ready');
  return lines;
}

describe('preemption across processes', () => {
  it('a scan in one process cancels a job running in another through the Redis channel', async () => {
    const model = 'm-xproc';
    const base = await poolConfig('xproc');
    const config: RedlineConfig = {
      ...base,
      workers: { ...base.workers, pool: { ...base.workers.pool, models: { [model]: { concurrency: 1 } } } },
    };
    const { queue, outcomes, sink } = await poolHarness(config, model, (fn) => cleanups.push(fn));

    // This process: one slot, scanning, running a standard job.
    const local = new WaitBackend((req) => (req.prompt === 'urgent' ? 100 : 2_500));
    const pool = await WorkerPool.start({ config, sink, backends: { inline: () => local } });
    cleanups.push(() => pool.close(true));
    const standard = await enqueue(queue, jobData(model, 'standard'));
    await waitFor(() => local.starts.length === 1, 10_000, 'standard start');

    // Another process: one slot, not scanning, running a batch job.
    const lines = await spawnPool(config, model, 2_500);
    const batch = await enqueue(queue, jobData(model, 'batch'));
    await waitFor(() => lines.includes(`start ${batch}`), 10_000, 'batch start in the child');

    const urgent = await enqueue(queue, jobData(model, 'interactive', { prompt: 'urgent' }));
    await waitFor(() => outcomes.results.has(urgent), 15_000, 'urgent result');
    // The batch job in the other process was the one cancelled, and the urgent job took its slot.
    expect(lines).toContain(`abort ${batch}`);
    expect(lines).toContain(`start ${urgent}`);
    expect(local.aborted).toEqual([]);
    await waitFor(() => outcomes.results.has(batch) && outcomes.results.has(standard), 20_000, 'all results');
    await new Promise((r) => setTimeout(r, 500));
    for (const id of [standard, batch, urgent]) expect(outcomes.results.get(id)).toHaveLength(1);
    expect(outcomes.results.get(batch)![0]!.preemptions).toBe(1);
    expect(await pool.preemptionCount(model)).toBe(1);
  });
});
