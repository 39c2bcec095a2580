import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { RedlineError } from '../../pipeline/errors.ts';
import { RedlineClient } from '../../pipeline/sdk/client.ts';
import type { Outcome } from '../../pipeline/sdk/outcomes.ts';
import type { SubmitRequest } from '../../pipeline/sdk/request-schema.ts';
import { EXIT } from '../exit-codes.ts';

interface SubmitOptions {
  config?: string;
  file?: string;
  tenant?: string;
  model?: string;
  prompt?: string;
  template?: string;
  slot: string[];
  weight?: string;
  tier?: string;
  maxTokens?: string;
  tokenFile?: string;
  wait?: boolean;
  timeout: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function describeOutcome(o: Outcome): string {
  if (o.kind === 'result') {
    const t = o.result.timings;
    return `result ${o.requestId} model=${o.result.model} chars=${o.result.output.length} queue=${t.queueWaitMs.toFixed(0)}ms backend=${t.backendMs.toFixed(0)}ms preemptions=${o.result.preemptions}${o.result.redactions.length ? ` redacted=${o.result.redactions.join(',')}` : ''}`;
  }
  if (o.kind === 'rejected') {
    return `rejected ${o.requestId} stage=${o.rejection.stage} code=${o.rejection.code} detail="${o.rejection.detail}"`;
  }
  return `quarantined ${o.requestId} score=${o.score.toFixed(3)} (held for review: redline review list)`;
}

function buildRequest(opts: SubmitOptions): SubmitRequest {
  const base: Record<string, unknown> = opts.file ? JSON.parse(readFileSync(opts.file, 'utf8')) : {};
  const slots = Object.fromEntries(
    opts.slot.map((s) => {
      const eq = s.indexOf('=');
      if (eq < 1) throw new RedlineError('INVALID_REQUEST', `--slot wants name=value, got "${s}"`);
      return [s.slice(0, eq), s.slice(eq + 1)];
    }),
  );
  const token = opts.tokenFile ? readFileSync(opts.tokenFile, 'utf8').trim() : process.env.REDLINE_TOKEN;
  const parameters = { ...(base.parameters as object | undefined) } as Record<string, unknown>;
  if (opts.weight !== undefined) parameters.weight = Number(opts.weight);
  if (opts.maxTokens !== undefined) parameters.maxTokens = Number(opts.maxTokens);
  return {
    ...base,
    ...(opts.tenant !== undefined && { tenant: opts.tenant }),
    ...(opts.model !== undefined && { model: opts.model }),
    ...(opts.prompt !== undefined && { prompt: opts.prompt }),
    ...(opts.template !== undefined && { templateId: opts.template }),
    ...(opts.slot.length > 0 && { slots: slots }),
    ...(opts.tier !== undefined && { priorityHint: opts.tier }),
    ...(token !== undefined && base.token === undefined && { token }),
    parameters,
  } as SubmitRequest;
}

export function register(program: Command): void {
  program
    .command('submit')
    .description('publish one inference request (from flags and/or a JSON file); prints its request id')
    .option('-c, --config <file>', 'config file')
    .option('-f, --file <request.json>', 'request as JSON (flags override its fields)')
    .option('--tenant <tenant>', 'tenant id')
    .option('--model <model>', 'model name')
    .option('--prompt <text>', 'the prompt (or use --template with --slot)')
    .option('--template <id>', 'a registered prompt template id')
    .option('--slot <name=value>', 'a template slot value (repeatable)', collect, [])
    .option('--weight <n>', 'requested model weight')
    .option('--tier <tier>', 'priority hint: interactive | standard | batch')
    .option('--max-tokens <n>', 'maximum tokens to generate')
    .option('--token-file <file>', 'file holding the bearer JWT (default: $REDLINE_TOKEN)')
    .option('--wait', 'wait for the result or rejection and print it (exit 3 when rejected, 4 on timeout)')
    .option('--timeout <ms>', 'how long --wait waits', '60000')
    .action(async (opts: SubmitOptions) => {
      const request = buildRequest(opts);
      const client = new RedlineClient(loadConfig({ file: opts.config }));
      try {
        const id = await client.submit(request);
        console.log(id);
        if (opts.wait) {
          try {
            const outcome = await client.result(id, { timeoutMs: Number(opts.timeout), final: true });
            console.log(describeOutcome(outcome));
            if (outcome.kind === 'rejected') process.exitCode = EXIT.rejected;
          } catch (err) {
            if (err instanceof RedlineError && err.code === 'RESULT_TIMEOUT') {
              console.error(`redline: ${err.message}`);
              process.exitCode = EXIT.timeout;
            } else throw err;
          }
        }
      } finally {
        await client.close();
      }
    });
}
