import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { type BatchLine, batchStatus, resumeBatch, submitBatch } from '../../pipeline/sdk/batch/index.ts';
import { type Responder, type ResponderDecision, startResponder } from '../helpers/batch-responder.ts';
import { configEnv, countKeys, isolatedConfig } from '../helpers/kafka.ts';

// A batch against the real Kafka and Redis, with a stand-in pipeline that answers each request.

const TOTAL = 1000;

/** What line i of the input is, and so what its output line must say. */
function expectedStatus(i: number): BatchLine['status'] {
  if (i % 100 === 99) return 'invalid';
  if (i % 50 === 7) return 'quarantined';
  if (i % 10 === 3) return 'rejected';
  return 'result';
}

function inputLine(i: number): string {
  const status = expectedStatus(i);
  if (status === 'invalid') return i % 200 === 99 ? '' : '{"prompt": 5}';
  const prompt = `${status === 'quarantined' ? 'quarantine' : status === 'rejected' ? 'reject' : 'answer'} ${i}`;
  // Both input forms: plain text and JSON objects (with "prompt" or "text").
  if (i % 3 === 0) return prompt;
  return JSON.stringify(i % 3 === 1 ? { prompt } : { text: prompt, parameters: { maxTokens: 16 } });
}

const decide = (r: { prompt: string | null }): ResponderDecision =>
  r.prompt?.startsWith('quarantine') ? 'quarantine' : r.prompt?.startsWith('reject') ? 'reject' : 'result';

interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Runs the real `redline` command against this test's topics. */
function cli(config: RedlineConfig, args: string[]): CliRun {
  const child = spawn(process.execPath, ['bin/redline.js', ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...configEnv(config),
      REDLINE_TOKEN: 'not-a-real-token',
      REDLINE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('batch jobs', () => {
  let config: RedlineConfig;
  let dir: string;
  let responder: Responder | undefined;

  beforeAll(async () => {
    config = await isolatedConfig('batch');
    dir = mkdtempSync(join(tmpdir(), 'redline-batch-'));
  });

  afterAll(async () => {
    await responder?.stop();
    const redis = new Redis(config.redis.url);
    const keys = await redis.keys(`${config.topics.prefix}batch:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('interrupted half-way and resumed, writes exactly one line per input line, in order, sending none twice', async () => {
    responder = await startResponder(config, decide);
    const input = join(dir, 'prompts.jsonl');
    const out = join(dir, 'results.jsonl');
    writeFileSync(input, `${Array.from({ length: TOTAL }, (_, i) => inputLine(i)).join('\n')}\n`);
    const batchId = `it${randomUUID().slice(0, 8)}`;

    const controller = new AbortController();
    const first = await submitBatch(
      { input, out, tenant: 'acme', model: 'sim-small', batchId },
      {
        config,
        token: 'not-a-real-token',
        chunkSize: 50,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.sent >= TOTAL / 2) controller.abort();
        },
      },
    );
    expect(first.status).toBe('interrupted');
    expect(first.status === 'interrupted' && first.counts.sent).toBe(TOTAL / 2);
    expect(existsSync(out)).toBe(false);
    const midway = await batchStatus(config, batchId);
    expect(midway.meta.status).toBe('running');
    expect(midway.counts.sent).toBe(TOTAL / 2);

    const second = await resumeBatch(batchId, { config, token: 'not-a-real-token', chunkSize: 50 });
    expect(second.status).toBe('complete');

    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(TOTAL);
    const parsed = lines.map((l) => JSON.parse(l) as BatchLine);
    expect(parsed.map((l) => l.index)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    expect(new Set(parsed.map((l) => l.requestId)).size).toBe(TOTAL);
    for (const [i, line] of parsed.entries()) {
      expect(line.requestId).toBe(`${batchId}-${i}`);
      expect(line.status, `line ${i}`).toBe(expectedStatus(i));
      if (line.status === 'result') expect(line.output).toBe(`ok answer ${i}`);
      if (line.status === 'rejected') expect(line).toMatchObject({ code: 'RULE_MATCH', stage: 'sanitize' });
      if (line.status === 'quarantined') expect(line.code).toBe('INJECTION_SUSPECTED');
      if (line.status === 'invalid') expect(line.code).toBe('INVALID_REQUEST');
    }

    const invalid = parsed.filter((l) => l.status === 'invalid').length;
    expect(invalid).toBe(10);
    const expected = { result: 0, rejected: 0, quarantined: 0, invalid: 0 };
    for (let i = 0; i < TOTAL; i++) expected[expectedStatus(i)]++;
    expect(second.status === 'complete' && second.summary.byStatus).toEqual(expected);

    // Exactly the valid lines reached `requests`, each once: nothing re-sent by the resume.
    const sent = await countKeys(config, 'requests', TOTAL - invalid, { settleMs: 1_500 });
    expect(sent.size).toBe(TOTAL - invalid);
    expect([...sent.values()].filter((n) => n !== 1)).toEqual([]);
    expect([...sent.keys()].every((k) => k.startsWith(`${batchId}-`))).toBe(true);

    const done = await batchStatus(config, batchId);
    expect(done.meta.status).toBe('complete');
    expect(done.counts).toEqual({ total: TOTAL, sent: TOTAL, done: TOTAL });
    await responder.stop();
    responder = undefined;
  });

  it('fails with BATCH_WAIT_TIMEOUT when no outcome comes, refuses a changed input or a second runner, then resumes', async () => {
    const input = join(dir, 'small.jsonl');
    const out = join(dir, 'small-results.jsonl');
    writeFileSync(input, 'answer 0\nanswer 1\nanswer 2\n');
    const batchId = `it${randomUUID().slice(0, 8)}`;
    const run = submitBatch(
      { input, out, tenant: 'acme', model: 'sim-small', batchId },
      { config, waitTimeoutMs: 1_500, pollMs: 100 },
    );
    await expect(run).rejects.toMatchObject({ code: 'BATCH_WAIT_TIMEOUT' });
    await expect(run).rejects.toThrow(`redline batch resume ${batchId}`);
    const stalled = await batchStatus(config, batchId);
    expect(stalled.counts).toEqual({ total: 3, sent: 3, done: 0 });
    expect(stalled.waitingFor).toEqual([0, 1, 2]);

    appendFileSync(input, 'answer 3\n');
    await expect(resumeBatch(batchId, { config })).rejects.toMatchObject({ code: 'BATCH_INPUT_CHANGED' });
    writeFileSync(input, 'answer 0\nanswer 1\nanswer 2\n');

    // The outcomes published now, while no collector runs, are read from the committed offsets.
    responder = await startResponder(config, decide);
    // Two resumes at once: one runs the batch, the other is refused (both would send).
    const runs = await Promise.allSettled([
      resumeBatch(batchId, { config, waitTimeoutMs: 60_000 }),
      resumeBatch(batchId, { config, waitTimeoutMs: 60_000 }),
    ]);
    const done = runs.filter((r) => r.status === 'fulfilled');
    const refused = runs.filter((r) => r.status === 'rejected');
    expect(done).toHaveLength(1);
    expect(done[0]?.status === 'fulfilled' && done[0].value.status).toBe('complete');
    expect(refused[0]?.status === 'rejected' && refused[0].reason).toMatchObject({ code: 'BATCH_BUSY' });
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as BatchLine);
    expect(lines.map((l) => [l.index, l.status, l.output])).toEqual([
      [0, 'result', 'ok answer 0'],
      [1, 'result', 'ok answer 1'],
      [2, 'result', 'ok answer 2'],
    ]);
    await expect(
      submitBatch({ input, out, tenant: 'acme', model: 'm', batchId }, { config }),
    ).rejects.toMatchObject({
      code: 'BATCH_EXISTS',
    });
    await responder.stop();
    responder = undefined;
  });

  it('the CLI: SIGINT saves the batch and exits 130; resume completes it; status reports it', async () => {
    const input = join(dir, 'cli.jsonl');
    const out = join(dir, 'cli-results.jsonl');
    writeFileSync(input, `${Array.from({ length: 200 }, (_, i) => `answer ${i}`).join('\n')}\n`);
    const batchId = `cli${randomUUID().slice(0, 8)}`;
    const submit = cli(config, [
      'batch',
      'submit',
      input,
      '--out',
      out,
      '--model',
      'sim-small',
      '--tenant',
      'acme',
      '--id',
      batchId,
    ]);
    // Nothing answers yet: once everything is sent the command waits for outcomes; interrupt it there.
    await waitFor(async () => (await batchStatus(config, batchId).catch(() => null))?.counts.sent === 200);
    submit.child.kill('SIGINT');
    const interrupted = await submit.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain(`interrupted: resume with redline batch resume ${batchId}`);
    expect(existsSync(out)).toBe(false);

    const status = await cli(config, ['batch', 'status', batchId, '--json']).done;
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      batchId,
      status: 'running',
      total: 200,
      sent: 200,
      done: 0,
    });

    responder = await startResponder(config, decide);
    const resumed = await cli(config, ['batch', 'resume', batchId]).done;
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`batch ${batchId} complete`);
    expect(resumed.stdout).toContain(
      'outcomes: 200 results, 0 rejected, 0 quarantined, 0 invalid (of 200 lines)',
    );
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as BatchLine);
    expect(lines.map((l) => l.index)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});
