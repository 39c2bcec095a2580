import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import type { IsolationMode } from '../../workers/pool/config.ts';
import { WorkerPool } from '../../workers/pool/pool.ts';
import { SandboxedBackend } from '../../workers/sandbox/sandboxed-backend.ts';
import { enqueue, jobData, poolConfig, poolHarness, waitFor } from '../unit/pool/fixtures/pool-env.ts';
import { WaitBackend } from '../unit/pool/fixtures/wait-backend.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const spec = {
  module: fileURLToPath(new URL('../unit/pool/fixtures/sandbox-backends.ts', import.meta.url)),
  exportName: 'createHogBackend',
  options: { delayMs: 20 },
};

async function run(name: string, isolation: IsolationMode | undefined) {
  const model = `m-${name}`;
  const base = await poolConfig(name);
  const config: RedlineConfig = {
    ...base,
    workers: {
      ...base.workers,
      pool: { ...base.workers.pool, models: { [model]: { concurrency: 2, isolation } } },
      sandbox: { ...base.workers.sandbox, maxOldGenerationMb: 64, maxYoungGenerationMb: 8 },
    },
  };
  const { queue, outcomes, sink } = await poolHarness(config, model, (fn) => cleanups.push(fn));
  const inline = new WaitBackend(() => 10);
  const sandboxes: SandboxedBackend[] = [];
  const pool = await WorkerPool.start({
    config,
    sink,
    backends: {
      inline: () => inline,
      sandboxed: (_m, mode) => {
        const b = new SandboxedBackend(mode, spec, config.workers.sandbox);
        sandboxes.push(b);
        return b;
      },
    },
  });
  cleanups.push(() => pool.close(true));

  // Weight above the threshold: sandboxed unless the model forces a mode.
  const heavy = { parameters: { maxTokens: 8, temperature: 0, weight: 50 } };
  const hog = await enqueue(queue, jobData(model, 'standard', { ...heavy, prompt: 'hog' }), { attempts: 2 });
  const fine: string[] = [];
  for (let i = 0; i < 6; i++) fine.push(await enqueue(queue, jobData(model, 'standard', heavy)));
  const light = await enqueue(queue, jobData(model, 'standard'));

  await waitFor(() => outcomes.rejections.has(hog), 60_000, 'hog rejection');
  await waitFor(() => [...fine, light].every((id) => outcomes.results.has(id)), 60_000, 'other results');
  const rejection = outcomes.rejections.get(hog)!;
  expect(rejection).toHaveLength(1);
  expect(rejection[0]!.code).toBe('SANDBOX_LIMIT');
  expect(outcomes.results.has(hog)).toBe(false);
  // It followed the retry policy: both attempts ran (and broke the limit).
  await waitFor(async () => (await queue.getJobState(hog)) === 'failed', 10_000, 'hog job failed');
  expect((await queue.getJob(hog))?.attemptsMade).toBe(2);
  for (const id of fine) expect(outcomes.results.get(id)![0]!.output).toBe(`echo:${id}`);
  // Unforced, the light request runs in-process and the heavy ones do not; forced, none does.
  expect(inline.starts.map((s) => s.requestId)).toEqual(isolation ? [] : [light]);
  expect(sandboxes.length).toBe(1);
}

describe('sandboxed execution', () => {
  it('a worker-thread sandbox that allocates without bound is killed alone; the pool goes on', async () => {
    await run('thread', undefined);
  });

  it('a child-process sandbox that allocates without bound is killed alone; the pool goes on', async () => {
    await run('process', 'process');
  });
});
