import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { openConfiguredDetector } from '../../pipeline/detect/open-detector.ts';
import { createScanner, type SanitizeFn } from '../../pipeline/detect/scan.ts';
import { createSanitizeFromConfig } from '../../pipeline/sanitize/factory.ts';

/** Prompts per chunk: large enough to fill micro-batches, small enough to keep memory flat. */
const CHUNK = 256;

function parseLine(line: string, jsonl: boolean): string | null {
  if (!jsonl) return line;
  try {
    const v = JSON.parse(line) as { text?: unknown };
    return typeof v.text === 'string' ? v.text : null;
  } catch {
    return null;
  }
}

export function register(program: Command): void {
  program
    .command('scan')
    .description(
      'scan prompts offline through the sanitize chain and the injection classifier; one JSON line per input, in order',
    )
    .option('--jsonl', 'read JSON lines {"text": ...} instead of plain text lines')
    .option('-c, --config <file>', 'config file (default: redline.config.yaml|yml|json, or $REDLINE_CONFIG)')
    .option(
      '--classifier-only',
      'skip the sanitize stage (rules, fingerprints, decoding): the classifier alone',
    )
    .addHelpText(
      'after',
      `
Input: stdin, one prompt per line (with --jsonl, {"text": "..."} per line; other fields ignored).
Output: stdout, one line per input line: {"score": 0..1, "flagged": true|false, "reasons": [codes]}.
  score     the detector's score (classifier combined with sanitize's findings)
  flagged   the request would be rejected: by sanitize (RULE_MATCH, FINGERPRINT_MATCH, ...) or at
            or above detect.threshold (INJECTION_DETECTED)
  reasons   the rejecting code, INJECTION_SUSPECTED in the review zone, and finding codes
An unreadable --jsonl line gives {"score": null, "flagged": false, "reasons": ["INVALID_INPUT"]}.
A progress bar is drawn on stderr when it is a terminal. Exit 0 when the scan ran, whatever it found.`,
    )
    .action(async (opts: { jsonl?: boolean; config?: string; classifierOnly?: boolean }) => {
      const config = loadConfig({ file: opts.config });
      const sanitize: SanitizeFn | null = opts.classifierOnly ? null : createSanitizeFromConfig(config).core;
      const detector = await openConfiguredDetector(config.detect);
      const scanner = createScanner(detector, config.detect, sanitize);
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { stream: process.stderr, format: 'scan {bar} {value} prompts | {flagged} flagged', fps: 5 },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(0, 0, { flagged: 0 });
      let done = 0;
      let flagged = 0;
      let chunk: Array<string | null> = [];
      const flush = async () => {
        const results = await scanner.scan(chunk);
        chunk = [];
        const out = results.map((r) => JSON.stringify(r)).join('\n');
        if (out) process.stdout.write(`${out}\n`);
        done += results.length;
        flagged += results.filter((r) => r.flagged).length;
        bar?.setTotal(done);
        bar?.update(done, { flagged });
      };
      try {
        for await (const line of createInterface({
          input: process.stdin,
          crlfDelay: Number.POSITIVE_INFINITY,
        })) {
          if (opts.jsonl && line.trim() === '') continue;
          chunk.push(parseLine(line, opts.jsonl ?? false));
          if (chunk.length >= CHUNK) await flush();
        }
        if (chunk.length) await flush();
      } finally {
        bar?.stop();
        await detector.close();
      }
    });
}
