import { afterEach, describe, expect, it } from 'vitest';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { InferenceResult } from '../../schemas/types.ts';
import { TIER_PRIORITY } from '../../workers/job.ts';
import { WorkerPool } from '../../workers/pool/pool.ts';
import { ENTRY_FIELD, packEntry } from '../../workers/results/outbox.ts';
import { ResultPublisher } from '../../workers/results/publisher.ts';
import { enqueue, jobData, poolConfig, poolHarness, waitFor } from '../unit/pool/fixtures/pool-env.ts';
import { WaitBackend } from '../unit/pool/fixtures/wait-backend.ts';

const cleanups: Array<() => Promise<unknown>> = [];

function resultFor(requestId: string, model: string): InferenceResult {
  return {
    requestId,
    tenant: 't',
    model,
    output: 'x',
    redactions: [],
    timings: { queueWaitMs: 1, backendMs: 1, totalMs: 2 },
    preemptions: 0,
    batchId: null,
    batchIndex: null,
    completedAt: Date.now(),
  };
}
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function setUp(
  name: string,
  model: string,
  concurrency: number,
  preemption: Record<string, unknown> = {},
) {
  const base = await poolConfig(name);
  const config: RedlineConfig = {
    ...base,
    workers: {
      ...base.workers,
      pool: {
        ...base.workers.pool,
        models: { [model]: { concurrency } },
        preemption: { ...base.workers.pool.preemption, ...preemption },
      },
    },
  };
  const { conn, queue, outcomes, sink } = await poolHarness(config, model, (fn) => cleanups.push(fn));
  return { config, conn, queue, outcomes, sink };
}

async function startPool(config: RedlineConfig, sink: ResultPublisher, backend: WaitBackend) {
  const pool = await WorkerPool.start({ config, sink, backends: { inline: () => backend } });
  cleanups.push(() => pool.close(true));
  return pool;
}

describe('worker pool against the real Redis and Kafka', () => {
  it('starts waiting jobs in priority order under load, one result each', async () => {
    const model = 'm-order';
    const { config, queue, outcomes, sink } = await setUp('order', model, 2);
    const tiers = ['batch', 'standard', 'interactive'] as const;
    const ids = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const data = jobData(model, tiers[i % 3]!);
      ids.set(await enqueue(queue, data), TIER_PRIORITY[data.tier]);
    }
    const backend = new WaitBackend(() => 20);
    await startPool(config, sink, backend);
    await waitFor(() => outcomes.results.size === 30, 60_000, '30 results');

    const started = backend.starts.map((s) => ids.get(s.requestId)!);
    expect(started).toHaveLength(30);
    expect([...started].sort((a, b) => a - b)).toEqual(started);
    for (const id of ids.keys()) expect(outcomes.results.get(id)).toHaveLength(1);
    const one = outcomes.results.get([...ids.keys()][0]!)![0]!;
    expect(one.output).toMatch(/^echo:/);
    expect(one.timings.totalMs).toBeGreaterThanOrEqual(one.timings.backendMs);
    expect(outcomes.headers.get(one.requestId)?.traceparent).toMatch(/^00-/);
  });

  it('preempts the lowest-priority running job for an urgent one; the victim resumes with exactly one result', async () => {
    const model = 'm-preempt';
    const { config, conn, queue, outcomes, sink } = await setUp('preempt', model, 2);
    const backend = new WaitBackend((req) => (req.prompt === 'urgent' ? 100 : 1_500));
    const pool = await startPool(config, sink, backend);
    const low = [
      await enqueue(queue, jobData(model, 'batch')),
      await enqueue(queue, jobData(model, 'standard')),
    ];
    await waitFor(() => backend.starts.length === 2, 10_000, 'two low-priority starts');
    const urgent = await enqueue(queue, jobData(model, 'interactive', { prompt: 'urgent' }));
    await waitFor(() => outcomes.results.has(urgent), 10_000, 'urgent result');
    // The batch job (priority 100) gave way, not the standard one (priority 10).
    expect(backend.aborted).toEqual([low[0]]);
    await waitFor(() => low.every((id) => outcomes.results.has(id)), 20_000, 'low-priority results');
    await new Promise((r) => setTimeout(r, 500)); // would-be duplicates arrive meanwhile
    for (const id of [...low, urgent]) expect(outcomes.results.get(id)).toHaveLength(1);
    expect(outcomes.results.get(low[0]!)![0]!.preemptions).toBe(1);
    expect(outcomes.results.get(low[1]!)![0]!.preemptions).toBe(0);
    expect(backend.starts.filter((s) => s.requestId === low[0]).length).toBe(2);
    expect(await pool.preemptionCount(model)).toBe(1);
    expect(conn).toBeDefined();
  });
});

describe('starvation protection', () => {
  it('a batch job finishes while a flood of urgent jobs is still arriving', async () => {
    const model = 'm-flood';
    const { config, queue, outcomes, sink } = await setUp('flood', model, 1, {
      maxPreemptions: 2,
      maxWaitMs: 1_500,
    });
    const backend = new WaitBackend((req) => (req.prompt === 'urgent' ? 150 : 400));
    await startPool(config, sink, backend);
    const batch = await enqueue(queue, jobData(model, 'batch'));
    await waitFor(() => backend.starts.length === 1, 10_000, 'batch start');
    // Urgent work arrives twice as fast as one slot serves it (4 jobs of 150 ms every 300 ms) for
    // about 6 s: the urgent backlog only grows, so priorities alone would hold the batch job back.
    const urgent: string[] = [];
    let batchDoneWhileFlooding = false;
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 4; j++)
        urgent.push(await enqueue(queue, jobData(model, 'interactive', { prompt: 'urgent' })));
      if (outcomes.results.has(batch)) batchDoneWhileFlooding = true;
      await new Promise((r) => setTimeout(r, 300));
    }
    // The backlog did grow: urgent jobs were still waiting when the flood ended.
    expect(await queue.getPrioritizedCount()).toBeGreaterThan(0);
    expect(batchDoneWhileFlooding).toBe(true);
    const result = outcomes.results.get(batch)![0]!;
    expect(result.preemptions).toBeLessThanOrEqual(2);
    expect(backend.aborted.filter((id) => id === batch).length).toBe(result.preemptions);
    await waitFor(() => urgent.every((id) => outcomes.results.has(id)), 60_000, 'urgent results');
    expect(outcomes.results.get(batch)).toHaveLength(1);
  });
});

describe('result marker', () => {
  it('publishes one outcome per request when two runs race', async () => {
    const { config, conn, outcomes, sink } = await setUp('marker', 'm-marker', 1);
    const other = await ResultPublisher.connect(config, conn);
    cleanups.push(() => other.close());
    // A stalled job's re-run racing its first run: one publication, one 'duplicate'.
    const raced = jobData('m-marker', 'batch').requestId;
    const outcomesOfRace = await Promise.all([
      sink.publishResult(resultFor(raced, 'm-marker'), {}),
      other.publishResult(resultFor(raced, 'm-marker'), {}),
    ]);
    expect(outcomesOfRace.sort()).toEqual(['duplicate', 'published']);
    expect(await sink.isPublished(raced)).toBe(true);
    await waitFor(() => outcomes.results.has(raced), 20_000, 'result');
    await new Promise((r) => setTimeout(r, 500));
    expect(outcomes.results.get(raced)).toHaveLength(1);
  });

  it('relays what a relay that died had read: another relay takes it over once idle', async () => {
    const config = await poolConfig('takeover', { relayClaimIdleMs: 400 });
    const { conn, outcomes, sink } = await poolHarness(config, 'm-takeover', (fn) => cleanups.push(fn));
    const stream = `${config.topics.prefix}results-outbox`;
    const ids = [jobData('m-takeover', 'batch').requestId, jobData('m-takeover', 'batch').requestId];
    // Appended and read by a relay that then dies, in one transaction so no live relay reads them first.
    const tx = conn.multi();
    for (const id of ids) {
      const value = codecFor('InferenceResult').encode(resultFor(id, 'm-takeover'));
      const entry = {
        requestId: id,
        topic: topicName(config, 'results'),
        value,
        traceparent: '',
        tracestate: '',
      };
      tx.xadd(stream, '*', ENTRY_FIELD, packEntry(entry));
    }
    tx.xreadgroup('GROUP', 'relay', 'dead-relay', 'COUNT', 10, 'STREAMS', stream, '>');
    await tx.exec();
    expect(((await conn.xpending(stream, 'relay')) as unknown[])[0]).toBe(2);
    await waitFor(() => ids.every((id) => outcomes.results.has(id)), 20_000, 'taken-over results');
    await new Promise((r) => setTimeout(r, 500));
    for (const id of ids) expect(outcomes.results.get(id)).toHaveLength(1);
    expect(((await conn.xpending(stream, 'relay')) as unknown[])[0]).toBe(0);
    expect(sink.relayed).toBeGreaterThanOrEqual(2);
  });
});
