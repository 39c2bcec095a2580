import { Redis } from 'ioredis';
import { AnalyticsConsumer } from '../analytics/consumer.ts';
import type { RedlineConfig } from '../infra/config/schema.ts';
import type { Logger } from '../infra/log.ts';
import { closeModelHealth } from '../workers/limits/health.ts';
import { WorkerPool } from '../workers/pool/pool.ts';
import { productionBackends, productionHooks } from '../workers/pool/production.ts';
import { ResultPublisher } from '../workers/results/publisher.ts';
import { ensureTopics } from './kafka/admin.ts';
import { type RunningStage, startStage } from './runner.ts';
import { RunnerMetrics } from './runner-metrics.ts';
import { loadStage, STAGE_NAMES } from './stages.ts';

// The whole pipeline in one process, for `redline run`-style development, the demo and the
// end-to-end tests: every stage on the shared runner, a worker pool over the configured models,
// and (optionally) the analytics consumer. Production runs each as its own process instead.

export interface AssembledPipeline {
  stages: RunningStage[];
  metrics: RunnerMetrics;
  pool: WorkerPool;
  analytics: AnalyticsConsumer | undefined;
  /** Stops intake first (stages), then the pool (running jobs finish), then analytics. */
  stop(): Promise<void>;
}

export interface AssembleOptions {
  config: RedlineConfig;
  logger: Logger;
  models?: string[];
  analytics?: boolean;
  /** Stages and analytics read their topics from the beginning when their groups are new. */
  fromBeginning?: boolean;
}

export async function assemblePipeline(options: AssembleOptions): Promise<AssembledPipeline> {
  const { config, logger } = options;
  await ensureTopics(config);
  const metrics = new RunnerMetrics();
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const sink = await ResultPublisher.connect(config, redis);
  const models = options.models ?? Object.keys(config.workers.pool.models);
  const pool = await WorkerPool.start({
    config,
    models: models.length > 0 ? models : Object.keys(config.workers.backends),
    sink,
    backends: productionBackends(config),
    hooks: productionHooks(config, redis),
  });
  const stages: RunningStage[] = [];
  for (const name of STAGE_NAMES) {
    const def = await loadStage(name, { config, logger: logger.child({ stage: name }) });
    stages.push(
      await startStage(def, { config, logger, metrics, fromBeginning: options.fromBeginning ?? true }),
    );
  }
  let analytics: AnalyticsConsumer | undefined;
  if (options.analytics) {
    analytics = new AnalyticsConsumer({
      config,
      redis,
      logger: logger.child({ part: 'analytics' }),
      fromBeginning: options.fromBeginning ?? false,
    });
    await analytics.start();
  }
  let stopping: Promise<void> | undefined;
  return {
    stages,
    metrics,
    pool,
    analytics,
    stop() {
      stopping ??= (async () => {
        await Promise.all(stages.map((s) => s.stop()));
        await pool.close();
        await sink.close();
        await analytics?.stop();
        await closeModelHealth();
        redis.disconnect();
      })();
      return stopping;
    },
  };
}
