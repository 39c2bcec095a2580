import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { decodeJwt } from 'jose';
import { loadConfig } from '../../infra/config/load.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { isRedlineError, RedlineError } from '../../pipeline/errors.ts';
import {
  type BatchRunOptions,
  type BatchRunResult,
  batchStatus,
  DEFAULT_WAIT_TIMEOUT_MS,
  describeSummary,
  resumeBatch,
  submitBatch,
} from '../../pipeline/sdk/batch/index.ts';
import { progressView } from '../../pipeline/sdk/batch/progress.ts';
import { TIERS, type Tier } from '../../schemas/types.ts';
import { EXIT } from '../exit-codes.ts';

/** Exit status of a batch stopped by SIGINT/SIGTERM (128 + SIGINT, the shell convention). */
const EXIT_INTERRUPTED = 130;

interface CommonFlags {
  config?: string;
  tokenFile?: string;
  waitTimeout: number;
}

interface SubmitFlags extends CommonFlags {
  out: string;
  model?: string;
  tier: Tier;
  tenant?: string;
  id?: string;
}

const millis = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError('expected a positive whole number of ms');
  return n;
};

function readToken(flags: CommonFlags): string | null {
  if (flags.tokenFile) return readFileSync(flags.tokenFile, 'utf8').trim();
  return process.env.REDLINE_TOKEN?.trim() || null;
}

/** The tenant: the flag, else the token's `tenant` claim (read unverified, only as a default). */
function tenantOf(flags: SubmitFlags, token: string | null): string {
  if (flags.tenant) return flags.tenant;
  if (token) {
    try {
      const claim = decodeJwt(token).tenant;
      if (typeof claim === 'string' && claim) return claim;
    } catch {
      // Not a JWT: the auth stage will say so; the tenant must then come from --tenant.
    }
  }
  throw new RedlineError('INVALID_REQUEST', 'no tenant: pass --tenant, or a token with a tenant claim');
}

/** Runs a batch with a progress view; SIGINT/SIGTERM stop sending and save the state. */
async function runWithSignals(
  flags: CommonFlags,
  run: (options: BatchRunOptions) => Promise<BatchRunResult>,
): Promise<void> {
  const config: RedlineConfig = loadConfig({ file: flags.config });
  const token = readToken(flags);
  if (!token) console.error('redline: warning: no token (--token-file or $REDLINE_TOKEN); auth will reject');
  const controller = new AbortController();
  let batchId: string | undefined;
  const onSignal = () => {
    // A second signal means "now": the state is flushed after each chunk, so nothing is lost.
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const view = progressView();
  try {
    const result = await run({
      config,
      token,
      signal: controller.signal,
      waitTimeoutMs: flags.waitTimeout,
      onProgress: (p) => {
        if (!batchId) {
          batchId = p.batchId;
          console.error(`batch ${p.batchId}: ${p.total} lines`);
        }
        view.update(p);
      },
    });
    view.stop();
    if (result.status === 'interrupted') {
      console.error(`interrupted: resume with redline batch resume ${result.batchId}`);
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    console.log(`batch ${result.batchId} complete: ${result.out}`);
    console.log(describeSummary(result.summary));
  } catch (err) {
    view.stop();
    if (isRedlineError(err, 'BATCH_WAIT_TIMEOUT')) {
      console.error(`redline: ${err.code}: ${err.message}`);
      process.exitCode = EXIT.timeout;
      return;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const common = (cmd: Command): Command =>
  cmd
    .option('-c, --config <file>', 'config file')
    .option('--token-file <file>', 'file holding the bearer JWT (default: $REDLINE_TOKEN); never stored')
    .option(
      '--wait-timeout <ms>',
      'fail (exit 4, still resumable) when no line was sent and no outcome arrived for this long',
      millis,
      DEFAULT_WAIT_TIMEOUT_MS,
    );

export function register(program: Command): void {
  const batch = program
    .command('batch')
    .description('batch jobs: a file of prompts in, one outcome line per input line out; resumable');

  common(
    batch
      .command('submit')
      .description('publish every line of a file under one batch id and write the outcomes in input order')
      .argument('<prompts.jsonl>', 'input file, one request per line')
      .requiredOption('-o, --out <results.jsonl>', 'output file (written when every line has its outcome)')
      .option('--model <model>', 'model for lines that name none')
      .addOption(
        new Option('--tier <tier>', 'priority hint of every request').choices(TIERS).default('batch'),
      )
      .option('--tenant <tenant>', "tenant (default: the token's tenant claim)")
      .option('--id <batchId>', 'batch id (default: a new one)'),
  )
    .addHelpText(
      'after',
      `
Input: one request per line. A JSON object with "prompt" (or "text"), or "templateId" with
"slots", and optionally "model" and "parameters" ({maxTokens, temperature, weight}); a line
that does not start with "{" is a plain-text prompt. Tenant, tier, token and ids come from the
batch, never from a line. Each line is validated before sending: a line that is not a
valid request (bad JSON, unknown field, no model, empty line) is NOT sent and gets an output line
with status "invalid" and code INVALID_REQUEST.

Output: exactly one JSON line per input line, in input order:
  {"index", "requestId", "status": "result"|"rejected"|"quarantined"|"invalid",
   "output"?, "code"?, "detail"?, "stage"?}
then a summary (counts by status and code) on stdout. Request ids are <batchId>-<index>.
"quarantined" means the detector held the request for an operator's review; the batch records
the hold (a decision taken later is not written into the file).

Progress goes to stderr (bars on a terminal). Ctrl-C / SIGTERM stops sending after the chunk in
flight, saves the state (Redis) and exits 130: continue with "redline batch resume <id>"; lines
already sent are not sent again (after a hard crash, at most the last chunk of 200 is re-sent
under the same request ids, which the pipeline recognises). Batch state expires 7 days after its
last update.`,
    )
    .action(async (input: string, flags: SubmitFlags) => {
      const token = readToken(flags);
      const tenant = tenantOf(flags, token);
      await runWithSignals(flags, (options) =>
        submitBatch(
          { input, out: flags.out, tenant, model: flags.model ?? null, tier: flags.tier, batchId: flags.id },
          options,
        ),
      );
    });

  common(
    batch
      .command('resume')
      .description('continue an interrupted batch: send what was not sent, collect, write the output')
      .argument('<batchId>', 'the id printed by batch submit'),
  )
    .addHelpText(
      'after',
      '\nThe input file must be unchanged (its hash is checked). Pass the token again: it is never stored.',
    )
    .action(async (batchId: string, flags: CommonFlags) => {
      await runWithSignals(flags, (options) => resumeBatch(batchId, options));
    });

  batch
    .command('status')
    .description('show a batch: lines total, sent and done, and the outcomes so far by status and code')
    .argument('<batchId>', 'the id printed by batch submit')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print the status as JSON')
    .action(async (batchId: string, flags: { config?: string; json?: boolean }) => {
      const { meta, counts, summary, waitingFor } = await batchStatus(
        loadConfig({ file: flags.config }),
        batchId,
      );
      if (flags.json) {
        console.log(JSON.stringify({ ...meta, ...counts, outcomes: summary, waitingFor }));
        return;
      }
      console.log(
        [
          `batch   ${meta.batchId} (${meta.status})`,
          `input   ${meta.input}`,
          `output  ${meta.out}`,
          `model   ${meta.model ?? '(per line)'}  tier ${meta.tier}  tenant ${meta.tenant}`,
          `total   ${counts.total}`,
          `sent    ${counts.sent}`,
          `done    ${counts.done}`,
          describeSummary(summary),
          ...(waitingFor.length > 0
            ? [
                `waiting for lines ${waitingFor.join(', ')}${counts.sent - counts.done > waitingFor.length ? ', ...' : ''}`,
              ]
            : []),
        ].join('\n'),
      );
    });
}
