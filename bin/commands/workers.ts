import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { register as defaultRegistry } from 'prom-client';
import { loadConfig } from '../../infra/config/load.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { closeModelHealth } from '../../workers/limits/health.ts';
import { WorkerPool } from '../../workers/pool/pool.ts';
import { productionBackends, productionHooks } from '../../workers/pool/production.ts';
import { ResultPublisher } from '../../workers/results/publisher.ts';
import { cgroupSupport } from '../../workers/sandbox/cgroup.ts';

const log = createLogger('workers');

/** Models to serve: the flag, else `workers.pool.models`, else every model with a configured backend. */
function modelsToServe(config: RedlineConfig, flag: string | undefined): string[] {
  if (flag)
    return flag
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
  const pooled = Object.keys(config.workers.pool.models);
  return pooled.length > 0 ? pooled : Object.keys(config.workers.backends);
}

/** /metrics (the pool's counters on prom-client's default registry) and /healthz, loopback by default. */
async function startMetrics(host: string, port: number) {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      defaultRegistry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': defaultRegistry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    } else if (req.url === '/healthz') res.writeHead(200).end('ok\n');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

export function register(program: Command): void {
  program
    .command('workers')
    .description(
      'run the worker pool as a process: a BullMQ worker per model queue with preemption, sandboxes for heavy requests, ' +
        'output scanning, and one result or rejection per request on Kafka; start more processes to scale out',
    )
    .option('-c, --config <file>', 'config file')
    .option(
      '--models <list>',
      'comma-separated models to serve (default: workers.pool.models, else every configured backend)',
    )
    .action(async (opts: { config?: string; models?: string }) => {
      const config = loadConfig({ file: opts.config });
      const models = modelsToServe(config, opts.models);
      // Says once, at start-up, whether sandbox processes get cgroup v2 cpu.max / memory.max.
      cgroupSupport(config.workers.sandbox.cgroupRoot);
      const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
      const sink = await ResultPublisher.connect(config, redis);
      const pool = await WorkerPool.start({
        config,
        models,
        sink,
        backends: productionBackends(config),
        hooks: productionHooks(config, redis),
      });
      const metrics = await startMetrics(config.metrics.host, config.metrics.port);
      log.info({ models, pool: pool.id, metrics: metrics.url }, 'worker pool running (Ctrl-C stops it)');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      log.info('stopping: running jobs finish first');
      await pool.close();
      await sink.close();
      await closeModelHealth();
      metrics.close();
      redis.disconnect();
    });
}
