import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { createLogger } from '../../infra/log.ts';
import { isRedlineError, RedlineError } from '../../pipeline/errors.ts';
import {
  buildOfflineChain,
  type ChainReport,
  type OfflineStage,
  parseOfflineRequest,
} from '../../pipeline/offline-chain.ts';
import { EXIT } from '../exit-codes.ts';

interface CheckFlags {
  request?: string;
  jsonl: boolean;
  jwks?: string;
  policy?: string;
  token?: string;
  json: boolean;
  config?: string;
}

function printReport(report: ChainReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`request ${report.requestId}`);
  const width = Math.max(...report.steps.map((s) => s.stage.length), 6);
  for (const step of report.steps) {
    const code = step.code ? `  ${step.code}` : '';
    const detail = step.detail ? `  ${step.detail}` : '';
    console.log(`  ${step.stage.padEnd(width)}  ${step.verdict}${code}${detail}`);
  }
  const result =
    report.outcome === 'pass'
      ? 'passed every stage'
      : `${report.outcome === 'reject' ? 'rejected' : report.outcome === 'quarantine' ? 'quarantined' : 'failed'} at ${report.stage} (${report.code})`;
  console.log(`  ${'result'.padEnd(width)}  ${result}`);
}

async function* requestsFrom(
  flags: CheckFlags,
): AsyncGenerator<{ id: string; value: unknown } | { id: string; error: Error }> {
  if (flags.request) {
    try {
      yield { id: 'request', value: JSON.parse(readFileSync(flags.request, 'utf8')) };
    } catch (err) {
      yield {
        id: flags.request,
        error: new RedlineError('INVALID_REQUEST', `${flags.request}: ${(err as Error).message}`),
      };
    }
    return;
  }
  let n = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    n++;
    if (line.trim() === '') continue;
    try {
      yield { id: `line-${n}`, value: JSON.parse(line) };
    } catch (err) {
      yield {
        id: `line-${n}`,
        error: new RedlineError('INVALID_REQUEST', `line ${n}: ${(err as Error).message}`),
      };
    }
  }
}

export function register(program: Command): void {
  program
    .command('check')
    .description(
      "run a request through the stages' pure cores offline (no Kafka) and print each stage's verdict and reason code: why was this request rejected? Exit 0 when every request passes, 3 when any is rejected or quarantined, 2 on invalid input, 1 when a stage fails (e.g. the JWKS URL is unreachable).",
    )
    .option(
      '--request <file>',
      'a request as JSON (InferenceRequest fields; omitted ones take their defaults)',
    )
    .option('--jsonl', 'read requests as JSON lines from stdin', false)
    .option('--jwks <file>', 'JWKS file to verify tokens with (default: config auth.jwksFile / auth.jwksUrl)')
    .option('--policy <file>', 'RBAC policy file (default: config auth.policyFile)')
    .option('--token <jwt>', "use this token instead of the request's")
    .option('--json', 'print one JSON report per request instead of text', false)
    .option('-c, --config <file>', 'config file (default: redline.config.yaml|yml|json, or $REDLINE_CONFIG)')
    .action(async (flags: CheckFlags) => {
      if (!flags.request === !flags.jsonl) {
        throw new RedlineError(
          'INVALID_REQUEST',
          'give either --request FILE or --jsonl (requests on stdin)',
        );
      }
      const config = loadConfig({ file: flags.config });
      if (flags.jwks) Object.assign(config.auth, { jwksFile: flags.jwks, jwksUrl: null });
      if (flags.policy) config.auth.policyFile = flags.policy;
      const logger = createLogger('check');
      logger.level = process.env.REDLINE_LOG_LEVEL ?? 'warn';
      const chain = await buildOfflineChain({ config, logger });
      let exit: number = EXIT.ok;
      const worsen = (code: number) => {
        const rank = (c: number) => [EXIT.ok, EXIT.rejected, EXIT.usage, EXIT.failure].indexOf(c as never);
        if (rank(code) > rank(exit)) exit = code;
      };
      try {
        for await (const item of requestsFrom(flags)) {
          if ('error' in item) {
            console.error(
              `redline: ${isRedlineError(item.error) ? item.error.code : 'INVALID_REQUEST'}: ${item.error.message}`,
            );
            worsen(EXIT.usage);
            continue;
          }
          const report = await checkOne(chain.stages, item.value, item.id, flags);
          if (!report) {
            worsen(EXIT.usage);
            continue;
          }
          printReport(report, flags.json);
          worsen(
            report.outcome === 'pass' ? EXIT.ok : report.outcome === 'error' ? EXIT.failure : EXIT.rejected,
          );
        }
      } finally {
        await chain.close();
      }
      process.exitCode = exit;
    });
}

async function checkOne(
  stages: OfflineStage[],
  value: unknown,
  id: string,
  flags: CheckFlags,
): Promise<ChainReport | null> {
  const now = Date.now();
  try {
    const request = parseOfflineRequest(value, id, now);
    if (flags.token) request.token = flags.token;
    return await import('../../pipeline/offline-chain.ts').then((m) =>
      m.runOfflineChain(stages, request, { now }),
    );
  } catch (err) {
    if (!isRedlineError(err, 'INVALID_REQUEST')) throw err;
    console.error(`redline: ${err.code}: ${err.message}`);
    return null;
  }
}
