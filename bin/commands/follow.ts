import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { type LogicalTopic, topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { SchemaName } from '../../schemas/registry.ts';
import type { DlqRecord, InferenceResult, Rejection } from '../../schemas/types.ts';

// `redline results|rejected|dlq`: print a topic's records one line each (or JSON), from the
// beginning; with --follow keep printing new ones until Ctrl-C.

type Line = (value: never) => string;

const VIEWS: Record<string, { topic: LogicalTopic; type: SchemaName; line: Line; what: string }> = {
  results: {
    topic: 'results',
    type: 'InferenceResult',
    what: 'inference results',
    line: (r: InferenceResult) =>
      `${new Date(r.completedAt).toISOString()} ${r.requestId} tenant=${r.tenant} model=${r.model} chars=${r.output.length} total=${r.timings.totalMs.toFixed(0)}ms preemptions=${r.preemptions}`,
  },
  rejected: {
    topic: 'rejected',
    type: 'Rejection',
    what: 'rejections with their reason codes',
    line: (r: Rejection) =>
      `${new Date(r.rejectedAt).toISOString()} ${r.requestId} tenant=${r.tenant} stage=${r.stage} code=${r.code} detail="${r.detail}"`,
  },
  dlq: {
    topic: 'dlq',
    type: 'DlqRecord',
    what: 'dead-lettered messages (undecodable or poison) with the error',
    line: (r: DlqRecord) =>
      `${new Date(r.failedAt).toISOString()} ${r.sourceTopic}[${r.partition}]@${r.offset} stage=${r.stage} code=${r.errorCode} bytes=${r.value?.length ?? 0} error="${r.errorMessage}"`,
  },
};

export function register(program: Command): void {
  for (const [name, view] of Object.entries(VIEWS)) {
    program
      .command(name)
      .description(`print ${view.what} from the ${name} topic`)
      .option('-c, --config <file>', 'config file')
      .option('--follow', 'keep printing new records until Ctrl-C')
      .option('--json', 'one JSON object a line (bytes as base64)')
      .option('--idle <ms>', 'without --follow: stop after this long with nothing new', '3000')
      .action(async (opts: { config?: string; follow?: boolean; json?: boolean; idle: string }) => {
        const config = loadConfig({ file: opts.config });
        const consumer = createKafka(config).consumer({
          groupId: `${config.topics.prefix}cli.${name}.${process.pid}.${Date.now()}`,
          readUncommitted: false,
        });
        await consumer.connect();
        await consumer.subscribe({ topic: topicName(config, view.topic), fromBeginning: true });
        const codec = codecFor(view.type);
        let idle: NodeJS.Timeout | undefined;
        const done = new Promise<void>((resolve) => {
          const arm = () => {
            if (opts.follow) return;
            clearTimeout(idle);
            idle = setTimeout(resolve, Number(opts.idle));
          };
          arm();
          consumer.run({
            eachMessage: async ({ message }) => {
              arm();
              try {
                const value = codec.decode(message.value) as never;
                console.log(
                  opts.json
                    ? JSON.stringify(value, (_, v) =>
                        v?.type === 'Buffer' ? Buffer.from(v.data).toString('base64') : v,
                      )
                    : view.line(value),
                );
              } catch (err) {
                console.log(`undecodable record: ${(err as Error).message}`);
              }
            },
          });
          for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve());
        });
        await done;
        clearTimeout(idle);
        await consumer.disconnect();
      });
  }
}
