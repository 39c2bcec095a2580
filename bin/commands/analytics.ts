import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { createLogger } from '../../infra/log.ts';

// `redline analytics`: the span-clustering consumer as a long-running process.

export function register(program: Command): void {
  program
    .command('analytics')
    .description(
      'run the analytics consumer: read the spans topic in tumbling event-time windows, cluster the error spans (k-means, k by silhouette), and publish alerts for new or growing clusters to the alerts topic (de-duplicated with a cool-down in Redis; also POSTed to analytics.webhookUrl when set). Runs until SIGINT/SIGTERM.',
    )
    .option('-c, --config <file>', 'config file (default: redline.config.yaml|yml|json, or $REDLINE_CONFIG)')
    .option(
      '--from-beginning',
      'with no committed offsets for the group, read the spans topic from its start',
    )
    .option('--window <ms>', 'tumbling window length in ms (overrides analytics.windowMs)')
    .action(async (opts: { config?: string; fromBeginning?: boolean; window?: string }) => {
      const config = loadConfig({ file: opts.config });
      if (opts.window) config.analytics.windowMs = Number.parseInt(opts.window, 10);
      const log = createLogger('analytics');
      // No KafkaJS instrumentation here: a span per consumed span would feed the topic it reads.
      const { startTelemetry } = await import('../../infra/telemetry.ts');
      const telemetry = startTelemetry({ serviceName: 'redline-analytics', config, instrumentKafka: false });
      const { AnalyticsConsumer } = await import('../../analytics/consumer.ts');
      const { alertLine } = await import('./alerts.ts');
      const consumer = new AnalyticsConsumer({
        config,
        fromBeginning: opts.fromBeginning ?? false,
        logger: log,
      });
      consumer.on('alert', (alert) => console.log(alertLine(alert)));
      await consumer.start();
      await new Promise<void>((resolve) => {
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve());
      });
      log.info(consumer.stats(), 'analytics consumer stopping');
      await consumer.stop();
      await telemetry.shutdown();
    });
}
