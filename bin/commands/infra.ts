import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { servicesDown, servicesStatus, servicesUp } from '../../infra/services.ts';
import { EXIT } from '../exit-codes.ts';

const say = (line: string) => console.error(line);

export function register(program: Command): void {
  const infra = program
    .command('infra')
    .description('start, stop or inspect the real Kafka and Redis that redline runs on (no Docker needed)');
  infra
    .command('up')
    .description(
      'start a single-node KRaft Kafka (jars from Maven Central, Java 17) on 127.0.0.1:9092 and use or start Redis; reuses healthy services; with REDLINE_KAFKA_BROKERS / REDLINE_REDIS_URL set, only checks them',
    )
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { config?: string }) => {
      await servicesUp(loadConfig({ file: opts.config }), say);
    });
  infra
    .command('down')
    .description(
      'stop the Kafka broker and redis-server that redline started (services it did not start are left alone)',
    )
    .action(async () => {
      await servicesDown(say);
    });
  infra
    .command('status')
    .description('show whether Kafka and Redis answer; exit 1 if either is down')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { config?: string }) => {
      const status = await servicesStatus(loadConfig({ file: opts.config }));
      for (const line of status.lines) console.log(line);
      if (!status.kafka || !status.redis) process.exitCode = EXIT.failure;
    });
}
