import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'run the whole pipeline (Kafka, Redis, every stage, the worker pool on a simulated model, analytics and the dashboard) ' +
        'and replay a traffic mix: ordinary users of three tiers, a batch job, injections and jailbreaks in several languages, ' +
        'forged and expired tokens, a tenant bursting past its rate, a backend brown-out, and urgent requests that preempt batch work; ' +
        'ends with a summary in which every request is accounted for (this is `npm start`)',
    )
    .option('--duration <seconds>', 'how long to replay traffic', '60')
    .option('--drain <seconds>', 'after the traffic, how long to wait at most for the last outcomes', '60')
    .option('-c, --config <file>', 'config file (default: infra/dev/demo.config.yaml)')
    .option('--no-dashboard', 'do not serve the dashboard')
    .option('--dashboard-port <port>', 'dashboard port (0: any free port)', '0')
    .option('--keep', 'keep the pipeline and dashboard running after the summary until Ctrl-C')
    .addHelpText(
      'after',
      '\nExit status: 0 when every replayed request is accounted for (or on Ctrl-C), 1 otherwise.',
    )
    .action(
      async (opts: {
        duration: string;
        drain: string;
        config?: string;
        dashboard: boolean;
        dashboardPort: string;
        keep?: boolean;
      }) => {
        const { runDemo } = await import('../demo/run.ts');
        const code = await runDemo({
          durationS: Number(opts.duration),
          drainS: Number(opts.drain),
          config: opts.config,
          dashboard: opts.dashboard,
          dashboardPort: Number(opts.dashboardPort),
          keep: Boolean(opts.keep),
        });
        process.exitCode = code === 0 ? EXIT.ok : EXIT.failure;
      },
    );
}
