import { type Command, InvalidArgumentError } from 'commander';
import { startDashboard } from '../../analytics/dashboard/server.ts';
import { loadConfig } from '../../infra/config/load.ts';

// `redline dashboard`: the SRE dashboard on its own. It reads the alerts, spans and rejected
// topics with a throw-away consumer group, clusters the spans' error windows itself, and reads
// the worker pool from Redis. The analytics process can mount the same page (startDashboard()).

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('a port number (0 picks a free one)');
  return n;
}

export function register(program: Command): void {
  program
    .command('dashboard')
    .description(
      'serve the SRE dashboard: live alerts, a scatter plot of the latest window of error spans coloured by cluster, ' +
        'throughput per stage, rejections by code and the worker pool (slots, queue depths per priority, preemptions), ' +
        'updated live over server-sent events; Ctrl-C stops it',
    )
    .option('-c, --config <file>', 'config file')
    .option('--host <host>', 'address to bind (default: metrics.host, 127.0.0.1; use 0.0.0.0 in a container)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', port, 8787)
    .option(
      '--models <list>',
      'comma-separated model queues to always show (queues found in Redis are added)',
    )
    .option('--from-beginning', 'read the topics from their beginning instead of from now on (replays)')
    .action(
      async (opts: {
        config?: string;
        host?: string;
        port: number;
        models?: string;
        fromBeginning?: boolean;
      }) => {
        const config = loadConfig({ file: opts.config });
        const models = opts.models
          ?.split(',')
          .map((m) => m.trim())
          .filter(Boolean);
        const dashboard = await startDashboard({
          config,
          port: opts.port,
          ...(opts.host ? { host: opts.host } : {}),
          ...(models ? { models } : {}),
          fromBeginning: opts.fromBeginning ?? false,
        });
        console.log(`dashboard: ${dashboard.url} (Ctrl-C stops it)`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await dashboard.close();
      },
    );
}
