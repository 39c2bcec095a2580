import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../infra/config/load.ts';
import type { RedlineConfig } from '../infra/config/schema.ts';
import { ensureTopics } from '../pipeline/kafka/admin.ts';
import { simBackendSchema } from '../workers/backends/config.ts';
import { SimBackend } from '../workers/backends/sim.ts';
import type { BackendRequest, BackendResponse, ModelBackend } from '../workers/backends/types.ts';
import { type InferenceJobData, queueName, TIER_PRIORITY } from '../workers/job.ts';
import { WorkerPool } from '../workers/pool/pool.ts';
import { ResultPublisher, type ResultSink } from '../workers/results/publisher.ts';
import type { BenchSection } from './types.ts';

// The worker pool, measured in one run against baselines on the same Redis:
// 1. enqueue-to-result throughput through the pool (sim backend at zero latency, results published
//    to Kafka) as a ratio of bare BullMQ add + no-op process at the same concurrency;
// 2. the p99 time from an urgent job's arrival (before `add`) to its backend call, with every slot
//    busy with low-priority work (so each start needs a preemption), beside the same figure with a
//    free slot (plain BullMQ pickup).

const CONCURRENCY = Number(process.env.POOL_BENCH_CONCURRENCY ?? 32);
const LATENCY_SLOTS = 4;

function baseConfig(): RedlineConfig {
  const prefix = `bench.pool.${randomUUID().slice(0, 8)}.`;
  const config = loadConfig({
    env: { ...process.env, REDLINE_TOPICS_PREFIX: prefix, REDLINE_LOG_LEVEL: 'warn' },
  });
  // The bench's result markers need not outlive it (by default they live a day: 60,000 keys a run).
  const pool = { ...config.workers.pool, resultMarkerTtlMs: 120_000 };
  return { ...config, workers: { ...config.workers, pool } };
}

function withPool(config: RedlineConfig, model: string, concurrency: number, ageing: boolean): RedlineConfig {
  const pool = config.workers.pool;
  return {
    ...config,
    workers: {
      ...config.workers,
      pool: {
        ...pool,
        models: { [model]: { concurrency } },
        // The latency bench preempts the same fillers again and again: ageing would stop that.
        preemption: ageing ? pool.preemption : { ...pool.preemption, maxPreemptions: 1e9, maxWaitMs: 1e12 },
      },
    },
  };
}

function data(model: string, tier: InferenceJobData['tier'], prompt = 'bench'): InferenceJobData {
  return {
    requestId: randomUUID(),
    tenant: 'bench',
    model,
    prompt,
    parameters: { maxTokens: 16, temperature: 0, weight: 1 },
    tier,
    batchId: null,
    batchIndex: null,
    enqueuedAt: Date.now(),
    trace: {},
    preemptions: 0,
  };
}

async function addAll(queue: Queue, jobs: InferenceJobData[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) {
    await queue.addBulk(
      jobs.slice(i, i + 100).map((d) => ({
        name: 'infer',
        data: d,
        opts: { jobId: d.requestId, priority: TIER_PRIORITY[d.tier], removeOnComplete: true },
      })),
    );
  }
}

/** Removes the queue and the pool's registry keys beside it. */
async function dropQueue(queue: Queue, conn: Redis): Promise<void> {
  await queue.obliterate({ force: true });
  await queue.close();
  const keys: string[] = [];
  for await (const batch of conn.scanStream({ match: `bull:${queue.name}:*`, count: 500 }))
    keys.push(...(batch as string[]));
  if (keys.length > 0) await conn.del(...keys);
}

async function until(check: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Bare BullMQ: the same jobs added the same way, processed by a no-op at the same concurrency. */
async function bareThroughput(config: RedlineConfig, n: number): Promise<number> {
  const name = queueName(config, `bare-${randomUUID().slice(0, 6)}`);
  const conn = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection: conn });
  let done = 0;
  const worker = new Worker(name, async () => ({ outcome: 'result' }), {
    connection: new Redis(config.redis.url, { maxRetriesPerRequest: null }),
    concurrency: CONCURRENCY,
  });
  worker.on('completed', () => done++);
  await worker.waitUntilReady();
  const jobs = Array.from({ length: n }, () => data('bare', 'standard'));
  const start = performance.now();
  await addAll(queue, jobs);
  await until(() => done >= n);
  const rate = n / ((performance.now() - start) / 1000);
  await worker.close();
  await dropQueue(queue, conn);
  conn.disconnect();
  return rate;
}

/** Enqueue-to-result: from the first `add` until the relay had every result acknowledged by Kafka. */
async function poolThroughput(config: RedlineConfig, sink: ResultPublisher, n: number): Promise<number> {
  const model = `tp-${randomUUID().slice(0, 6)}`;
  const cfg = withPool(config, model, CONCURRENCY, true);
  const backend = new SimBackend(
    simBackendSchema.parse({ kind: 'sim', latency: { medianMs: 0, p99Ms: 0 } }),
    model,
  );
  const pool = await WorkerPool.start({ config: cfg, sink, backends: { inline: () => backend } });
  const conn = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName(cfg, model), { connection: conn });
  const jobs = Array.from({ length: n }, () => data(model, 'standard'));
  const before = sink.relayed;
  const start = performance.now();
  await addAll(queue, jobs);
  await until(() => sink.relayed - before >= n);
  const rate = n / ((performance.now() - start) / 1000);
  await pool.close();
  await dropQueue(queue, conn);
  conn.disconnect();
  return rate;
}

/** Low-priority calls run until aborted; urgent ones answer at once. Reports each start. */
class FillerBackend implements ModelBackend {
  readonly name = 'filler';
  running = 0;
  readonly started = new Map<string, number>();
  complete(req: BackendRequest): Promise<BackendResponse> {
    this.started.set(req.requestId, performance.now());
    if (req.prompt === 'urgent') return Promise.resolve({ text: 'ok', status: 200 });
    this.running++;
    return new Promise((_, reject) => {
      req.signal.addEventListener(
        'abort',
        () => {
          this.running--;
          reject(new Error('aborted'));
        },
        { once: true },
      );
    });
  }
}

const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)]!;

/** Arrival-to-start of urgent jobs one at a time, with `fillers` low-priority jobs holding slots. */
async function urgentStartLatency(config: RedlineConfig, sink: ResultSink, fillers: number, samples: number) {
  const model = `lat-${randomUUID().slice(0, 6)}`;
  const cfg = withPool(config, model, LATENCY_SLOTS, false);
  const backend = new FillerBackend();
  const pool = await WorkerPool.start({ config: cfg, sink, backends: { inline: () => backend } });
  const conn = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName(cfg, model), { connection: conn });
  await addAll(
    queue,
    Array.from({ length: fillers }, () => data(model, 'batch')),
  );
  await until(() => backend.running === fillers, 30_000);
  const waits: number[] = [];
  for (let i = 0; i < samples; i++) {
    const d = data(model, 'interactive', 'urgent');
    const t0 = performance.now();
    await addAll(queue, [d]);
    await until(() => backend.started.has(d.requestId), 30_000);
    waits.push(backend.started.get(d.requestId)! - t0);
    // The pool is full again once the preempted filler is back in its slot.
    await until(() => backend.running === fillers, 30_000);
  }
  await pool.close(true);
  await dropQueue(queue, conn);
  conn.disconnect();
  return p99(waits);
}

/** The process's V8 flags (npm run bench sets the young generation the worker processes get). */
function v8Flags(): string {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ').trim() || 'defaults';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function run({ quick }: { quick: boolean }): Promise<BenchSection> {
  const config = baseConfig();
  await ensureTopics(config, ['results', 'rejected']);
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const sink = await ResultPublisher.connect(config, redis);
  const n = quick ? 2_000 : 10_000;
  const rounds = quick ? 1 : 3;
  const samples = quick ? 40 : 200;
  try {
    await poolThroughput(config, sink, 200); // warm-up: connections, scripts, producer metadata
    const bare: number[] = [];
    const pooled: number[] = [];
    for (let r = 0; r < rounds; r++) {
      bare.push(await bareThroughput(config, n));
      pooled.push(await poolThroughput(config, sink, n));
    }
    const full = await urgentStartLatency(config, sink, LATENCY_SLOTS, samples);
    const free = await urgentStartLatency(config, sink, LATENCY_SLOTS - 1, samples);
    const ratio = median(pooled) / median(bare);
    return {
      section: 'workers: pool',
      rows: [
        {
          name: `enqueue-to-result through the pool (sim backend at 0 ms, results on Kafka, ${CONCURRENCY} slots)`,
          value: median(pooled),
          unit: 'jobs/s',
          baseline: { name: `bare BullMQ add + no-op process (${CONCURRENCY} slots)`, value: median(bare) },
          ratio,
          goal: '>= 0.7',
          met: ratio >= 0.7,
          notes: `${n} jobs per round, median of ${rounds} alternating round(s); V8 flags: ${v8Flags()}`,
        },
        {
          name: `p99 urgent arrival-to-start, every slot busy with batch work (${LATENCY_SLOTS} slots, preemption)`,
          value: full,
          unit: 'ms',
          baseline: { name: 'p99 urgent arrival-to-start with a free slot (plain pickup)', value: free },
          ratio: full / free,
          goal: '< 50 ms',
          met: full < 50,
          notes: `${samples} urgent jobs, one at a time`,
        },
      ],
    };
  } finally {
    await sink.close();
    redis.disconnect();
  }
}
