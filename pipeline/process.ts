import type { RedlineConfig } from '../infra/config/schema.ts';
import type { Logger } from '../infra/log.ts';
import { ensureTopics } from './kafka/admin.ts';
import { type RunningStage, startStage } from './runner.ts';
import { RunnerMetrics, startOpsServer } from './runner-metrics.ts';
import { loadStage } from './stages.ts';

/**
 * Runs stages in this process until SIGINT/SIGTERM: creates missing topics, starts each stage on
 * the shared runner, serves /metrics, /healthz and /readyz, and on a signal stops every stage
 * (the open transaction finishes or aborts, the group is left) before exiting.
 */
export async function runStagesUntilSignal(
  names: string[],
  config: RedlineConfig,
  logger: Logger,
): Promise<{ stages: RunningStage[]; stop(): Promise<void> }> {
  await ensureTopics(config);
  const metrics = new RunnerMetrics();
  const stages: RunningStage[] = [];
  for (const name of names) {
    const def = await loadStage(name, { config, logger });
    stages.push(await startStage(def, { config, logger, metrics }));
  }
  const ops = await startOpsServer(
    metrics,
    () => stages.every((s) => s.ready()),
    config.metrics.host,
    config.metrics.port,
  );
  logger.info({ stages: names, metrics: `${ops.url}/metrics` }, 'stages running');
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await Promise.all(stages.map((s) => s.stop()));
      await ops.close();
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  return { stages, stop };
}
