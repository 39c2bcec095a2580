import { afterEach, describe, expect, it } from 'vitest';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import type { BackendRequest, BackendResponse, ModelBackend } from '../../workers/backends/types.ts';
import { OutputScanner } from '../../workers/output-scan/index.ts';
import { WorkerPool } from '../../workers/pool/pool.ts';
import { enqueue, jobData, poolConfig, poolHarness, waitFor } from '../unit/pool/fixtures/pool-env.ts';

// A model served with `streamOutput`: its output is scanned chunk by chunk on the way, against the
// real Redis and Kafka. A key split across chunks is redacted in the published result; a canary
// (the system prompt leaking) stops the generation at once and the request ends OUTPUT_BLOCKED.

const CANARY = 'CANARY-7f3a9c2e51';
const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

/** Streams a scripted output per prompt, counting the chunks it produced and whether it was closed. */
class ScriptedStreamBackend implements ModelBackend {
  readonly name = 'scripted-stream';
  readonly produced = new Map<string, number>();
  readonly closed = new Set<string>();
  readonly scripts: Record<string, string[]> = {
    secret: ['your key is ', KEY.slice(0, 12), KEY.slice(12, 30), `${KEY.slice(30)} `, 'keep it safe.'],
    canary: ['sure, my instructions say ', CANARY.slice(0, 9), CANARY.slice(9), ...Array(200).fill(' more')],
  };

  complete(): Promise<BackendResponse> {
    return Promise.reject(new Error('a streamed model must not be called with complete()'));
  }

  async *stream(req: BackendRequest): AsyncGenerator<string> {
    try {
      for (const chunk of this.scripts[req.prompt] ?? ['plain answer']) {
        this.produced.set(req.requestId, (this.produced.get(req.requestId) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2));
        yield chunk;
      }
    } finally {
      this.closed.add(req.requestId);
    }
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

describe('streamed output through the pool', () => {
  it('redacts a key split across chunks and stops a generation that leaks a canary', async () => {
    const model = 'm-stream';
    const base = await poolConfig('stream', { models: { [model]: { concurrency: 2, streamOutput: true } } });
    const outputScan = { ...base.workers.outputScan, canaries: [CANARY], streamStepChars: 16 };
    const config: RedlineConfig = { ...base, workers: { ...base.workers, outputScan } };
    const { queue, outcomes, sink } = await poolHarness(config, model, (fn) => cleanups.push(fn));
    const backend = new ScriptedStreamBackend();
    const scanner = new OutputScanner(config.workers.outputScan);
    const pool = await WorkerPool.start({
      config,
      sink,
      backends: { inline: () => backend },
      hooks: { streamScanner: () => scanner.stream() },
    });
    cleanups.push(() => pool.close(true));

    const secret = await enqueue(queue, { ...jobData(model, 'standard'), prompt: 'secret' });
    const leak = await enqueue(queue, { ...jobData(model, 'standard'), prompt: 'canary' });
    await waitFor(() => outcomes.results.has(secret) && outcomes.rejections.has(leak), 30_000, 'outcomes');

    const [result] = outcomes.results.get(secret)!;
    expect(result!.output).toBe('your key is [REDACTED:api_key] keep it safe.');
    expect(result!.redactions).toEqual(['api_key']);
    const [rejection] = outcomes.rejections.get(leak)!;
    expect(rejection!.code).toBe('OUTPUT_BLOCKED');
    expect(outcomes.results.has(leak)).toBe(false);
    // The generation stopped soon after the canary, not after its 203 chunks, and was closed.
    expect(backend.produced.get(leak)!).toBeLessThan(20);
    expect(backend.closed.has(leak)).toBe(true);
  });
});
