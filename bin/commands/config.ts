import type { Command } from 'commander';
import { loadConfig, maskSecrets } from '../../infra/config/load.ts';

export function register(program: Command): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('print')
    .description('print the effective configuration (file + REDLINE_* environment), secrets masked')
    .option('-c, --config <file>', 'config file (default: redline.config.yaml|yml|json, or $REDLINE_CONFIG)')
    .action((opts: { config?: string }) => {
      console.log(JSON.stringify(maskSecrets(loadConfig({ file: opts.config })), null, 2));
    });
}
