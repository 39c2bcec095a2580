import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { ensureTopics, topicPlan } from '../../pipeline/kafka/admin.ts';

export function register(program: Command): void {
  const topics = program.command('topics').description('manage the Kafka topics of the pipeline');
  topics
    .command('create')
    .description(
      'create every missing topic (partitions, replication and configs from the config); existing ones are left as they are',
    )
    .option('-c, --config <file>', 'config file')
    .option('--dry-run', 'print the plan without creating anything')
    .action(async (opts: { config?: string; dryRun?: boolean }) => {
      const config = loadConfig({ file: opts.config });
      if (opts.dryRun) {
        for (const p of topicPlan(config)) {
          const extra = p.configEntries.map((c) => `${c.name}=${c.value}`).join(' ');
          console.log(
            `${p.topic}  partitions=${p.numPartitions} replication=${p.replicationFactor} ${extra}`.trimEnd(),
          );
        }
        return;
      }
      const created = await ensureTopics(config);
      console.log(created.length ? `created: ${created.join(', ')}` : 'all topics exist');
    });
}
