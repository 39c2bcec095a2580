import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { Alert } from '../../schemas/types.ts';

// `redline alerts`: the alerts topic for SRE subscribers, one readable line per alert (or one
// JSON object per line with --json); --follow keeps printing new ones until Ctrl-C.

export function alertLine(a: Alert): string {
  const trace = a.link ?? (a.exemplarTraceIds[0] ? `trace ${a.exemplarTraceIds[0]}` : '');
  return `${new Date(a.windowStart).toISOString()} ${a.severity.toUpperCase().padEnd(8)} ${a.summary}${trace ? `  ${trace}` : ''}`;
}

interface AlertsFlags {
  config?: string;
  follow?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('alerts')
    .description(
      'print the alerts raised by the analytics consumer (error-span clusters that are new or growing), oldest first, one line each: window start, severity, summary, Jaeger link or exemplar trace id',
    )
    .option('-c, --config <file>', 'config file (default: redline.config.yaml|yml|json, or $REDLINE_CONFIG)')
    .option('--follow', 'after the existing alerts, keep printing new ones until Ctrl-C')
    .option('--json', 'one JSON object a line (the Alert record), for machines')
    .action(async (opts: AlertsFlags) => {
      const config = loadConfig({ file: opts.config });
      const topic = topicName(config, 'alerts');
      const kafka = createKafka(config);
      const admin = kafka.admin();
      await admin.connect();
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
      await admin.disconnect();
      const remaining = new Set([...ends].filter(([, high]) => high > 0).map(([p]) => p));
      if (remaining.size === 0 && !opts.follow) return;
      // No offsets are committed: each invocation reads the topic on its own.
      const consumer = kafka.consumer({
        groupId: `${config.topics.prefix}cli.alerts.${process.pid}.${Date.now()}`,
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const codec = codecFor('Alert');
      await new Promise<void>((resolve) => {
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            try {
              const alert = codec.decode(message.value);
              console.log(opts.json ? JSON.stringify(alert) : alertLine(alert));
            } catch (err) {
              console.log(
                opts.json
                  ? JSON.stringify({ undecodable: (err as Error).message })
                  : `undecodable alert: ${(err as Error).message}`,
              );
            }
            if (Number(message.offset) + 1 >= (ends.get(partition) ?? 0)) remaining.delete(partition);
            if (!opts.follow && remaining.size === 0) resolve();
          },
        });
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve());
      });
      await consumer.disconnect();
    });
}
