import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../infra/config/load.ts';
import { ensureTopics } from '../pipeline/kafka/admin.ts';
import { simBackendSchema } from '../workers/backends/config.ts';
import { SimBackend } from '../workers/backends/sim.ts';
import { queueName, TIER_PRIORITY } from '../workers/job.ts';
import { WorkerPool } from '../workers/pool/pool.ts';
import { ResultPublisher, type ResultSink } from '../workers/results/publisher.ts';

const variant = process.argv[2] ?? 'full';
const prefix = `bench.probe.${randomUUID().slice(0, 8)}.`;
const base = loadConfig({
  env: { ...process.env, REDLINE_TOPICS_PREFIX: prefix, REDLINE_LOG_LEVEL: 'warn' },
});
await ensureTopics(base, ['results', 'rejected']);
const model = 'p';
const config = {
  ...base,
  workers: {
    ...base.workers,
    pool: {
      ...base.workers.pool,
      models: { p: { concurrency: Number(process.env.C ?? 8) } },
      preemption: { ...base.workers.pool.preemption, enabled: !variant.includes('noscan') },
    },
  },
};
const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
const real = await ResultPublisher.connect(config, redis);
let published = 0;
let pubMs = 0;
let beMs = 0;
const sink: ResultSink = variant.includes('nosink')
  ? {
      publishResult: async () => {
        published++;
        return 'published';
      },
      publishRejection: async () => 'published',
      isPublished: async () => false,
      close: async () => {},
    }
  : {
      publishResult: async (r, t) => {
        const a = performance.now();
        const o = await real.publishResult(r, t);
        pubMs += performance.now() - a;
        published++;
        return o;
      },
      publishRejection: (r, t) => real.publishRejection(r, t),
      isPublished: (id) => real.isPublished(id),
      close: () => real.close(),
    };
const backend = new SimBackend(
  simBackendSchema.parse({ kind: 'sim', latency: { medianMs: 0, p99Ms: 0 } }),
  model,
);
const timed = {
  name: 'timed',
  complete: async (req: any) => {
    const a = performance.now();
    const r = await backend.complete(req);
    beMs += performance.now() - a;
    return r;
  },
};
const pool = await WorkerPool.start({ config, sink, backends: { inline: () => timed } });
const queue = new Queue(queueName(config, model), { connection: new Redis(config.redis.url, { maxRetriesPerRequest: null }) });
const n = 3000;
const jobs = Array.from({ length: n }, () => ({
  name: 'infer',
  data: {
    requestId: randomUUID(),
    tenant: 't',
    model,
    prompt: 'x',
    parameters: { maxTokens: 1, temperature: 0, weight: 1 },
    tier: 'standard',
    batchId: null,
    batchIndex: null,
    enqueuedAt: Date.now(),
    trace: {},
    preemptions: 0,
  },
}));
const t0 = performance.now();
for (let i = 0; i < n; i += 100)
  await queue.addBulk(
    jobs
      .slice(i, i + 100)
      .map((j) => ({
        ...j,
        opts: { jobId: j.data.requestId, priority: TIER_PRIORITY.standard, removeOnComplete: true },
      })),
  );
while (published < n) await new Promise((r) => setTimeout(r, 2));
console.log(
  variant,
  Math.round(n / ((performance.now() - t0) / 1000)),
  'jobs/s',
  'publish ms/job',
  (pubMs / n).toFixed(2),
  'backend ms/job',
  (beMs / n).toFixed(2),
  'slot ms/job',
  ((Number(process.env.C ?? 8) * (performance.now() - t0)) / n).toFixed(2),
);
await pool.close();
await queue.obliterate({ force: true });
await queue.close();
await real.close();
redis.disconnect();
process.exit(0);
