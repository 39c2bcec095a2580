import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { createLogger } from '../../infra/log.ts';
import { runStagesUntilSignal } from '../../pipeline/process.ts';
import { STAGE_NAMES } from '../../pipeline/stages.ts';

export function register(program: Command): void {
  program
    .command('stage')
    .description(
      `run one stage as a process (${STAGE_NAMES.join(', ')}); scale out by starting more with the same config`,
    )
    .argument('<name>', `the stage: ${STAGE_NAMES.join(' | ')}`)
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, opts: { config?: string }) => {
      const config = loadConfig({ file: opts.config });
      await runStagesUntilSignal([name], config, createLogger(`stage-${name}`));
    });
  program
    .command('run')
    .description('run every stage in one process, for development (Ctrl-C stops them cleanly)')
    .option('-c, --config <file>', 'config file')
    .option('--stages <list>', 'comma-separated subset of stages', STAGE_NAMES.join(','))
    .action(async (opts: { config?: string; stages: string }) => {
      const config = loadConfig({ file: opts.config });
      await runStagesUntilSignal(opts.stages.split(',').filter(Boolean), config, createLogger('redline'));
    });
}
