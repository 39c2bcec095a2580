import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isRedlineError } from '../../../pipeline/errors.ts';
import { parseRetryAfter } from '../../../workers/backends/errors.ts';
import {
  createBackend,
  SimBackend,
  simBackendSchema,
  writeSimControl,
} from '../../../workers/backends/index.ts';
import { lognormal, mulberry32 } from '../../../workers/backends/random.ts';
import type { BackendRequest } from '../../../workers/backends/types.ts';

function request(overrides: Partial<BackendRequest> = {}): BackendRequest {
  return {
    requestId: 'r1',
    model: 'sim',
    prompt: 'Tell me something.',
    maxTokens: 64,
    temperature: 0.7,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const instant = { medianMs: 0, p99Ms: 0 };

describe('sim backend', () => {
  it('is deterministic for a seed and a call order', async () => {
    const run = async (seed: number) => {
      const b = new SimBackend(
        simBackendSchema.parse({ kind: 'sim', seed, latency: instant, errorRate: 0.3 }),
      );
      const out: string[] = [];
      for (let i = 0; i < 20; i++)
        out.push(
          await b.complete(request()).then(
            (r) => r.text,
            (e) => `ERR ${e.code}`,
          ),
        );
      return out;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
    expect(a.some((t) => t.startsWith('ERR BACKEND_SERVER_ERROR'))).toBe(true);
    expect(a.some((t) => !t.startsWith('ERR'))).toBe(true);
  });

  it('draws latencies with the configured median and p99', () => {
    const rng = mulberry32(3);
    const draws = Array.from({ length: 20_000 }, () => lognormal(rng, 50, 400)).sort((x, y) => x - y);
    const median = draws[draws.length / 2]!;
    const p99 = draws[Math.floor(draws.length * 0.99)]!;
    expect(median).toBeGreaterThan(45);
    expect(median).toBeLessThan(55);
    expect(p99).toBeGreaterThan(340);
    expect(p99).toBeLessThan(470);
  });

  it('fails at the configured error rate with a retryable coded error', async () => {
    const b = new SimBackend(simBackendSchema.parse({ kind: 'sim', latency: instant, errorRate: 0.25 }));
    let failures = 0;
    for (let i = 0; i < 2000; i++) {
      try {
        await b.complete(request());
      } catch (err) {
        expect(isRedlineError(err, 'BACKEND_SERVER_ERROR')).toBe(true);
        expect((err as { retryable: boolean }).retryable).toBe(true);
        failures++;
      }
    }
    expect(failures / 2000).toBeGreaterThan(0.21);
    expect(failures / 2000).toBeLessThan(0.29);
  });

  it('switches to brown-out and back at run time', () => {
    const b = new SimBackend(simBackendSchema.parse({ kind: 'sim', latency: { medianMs: 10, p99Ms: 40 } }));
    expect(b.conditions).toEqual({ errorRate: 0, medianMs: 10, p99Ms: 40 });
    b.setBrownOut(true);
    expect(b.conditions).toEqual({ errorRate: 0.5, medianMs: 50, p99Ms: 200 });
    b.setBrownOut(false);
    b.setConditions({ errorRate: 1 });
    expect(b.conditions.errorRate).toBe(1);
    expect(() => b.setConditions({ errorRate: 2 })).toThrow(RangeError);
  });

  it('follows a control file at run time (the cross-process brown-out switch)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redline-sim-control-'));
    try {
      const controlFile = join(dir, 'sim.json');
      const b = new SimBackend(simBackendSchema.parse({ kind: 'sim', latency: instant, controlFile }));
      const call = () => b.complete(request()).catch(() => undefined);
      await call();
      expect(b.brownOut).toBe(false);
      writeSimControl(controlFile, { brownOut: true });
      await sleep(300);
      await call();
      expect(b.brownOut).toBe(true);
      expect(b.conditions.errorRate).toBe(0.5);
      writeSimControl(controlFile, { errorRate: 0.2 });
      await sleep(300);
      await call();
      expect(b.brownOut).toBe(false);
      expect(b.conditions.errorRate).toBe(0.2);
      rmSync(controlFile);
      await sleep(300);
      await call();
      expect(b.conditions).toEqual({ errorRate: 0, medianMs: 0, p99Ms: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('honours the AbortSignal during its latency and between streamed chunks', async () => {
    const b = new SimBackend(
      simBackendSchema.parse({ kind: 'sim', latency: { medianMs: 60_000, p99Ms: 60_000 } }),
    );
    const ctrl = new AbortController();
    const pending = b.complete(request({ signal: ctrl.signal }));
    setTimeout(() => ctrl.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'BACKEND_ABORTED', retryable: false });

    const s = new SimBackend(simBackendSchema.parse({ kind: 'sim', latency: { medianMs: 300, p99Ms: 300 } }));
    const ctrl2 = new AbortController();
    const chunks: string[] = [];
    await expect(
      (async () => {
        for await (const c of s.stream(request({ signal: ctrl2.signal }))) {
          chunks.push(c);
          ctrl2.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'BACKEND_ABORTED' });
    expect(chunks).toHaveLength(1);
  });

  it('streams the same text it completes, and echoes the prompt and system prompt when asked', async () => {
    const config = simBackendSchema.parse({
      kind: 'sim',
      latency: instant,
      echoPrompt: true,
      echoSystemPrompt: true,
      systemPrompt: 'You are helpful. CANARY-123456789',
    });
    const text = (
      await new SimBackend(config).complete(request({ prompt: 'my key is AKIAIOSFODNN7EXAMPLE' }))
    ).text;
    let streamed = '';
    for await (const c of new SimBackend(config).stream(
      request({ prompt: 'my key is AKIAIOSFODNN7EXAMPLE' }),
    ))
      streamed += c;
    expect(streamed).toBe(text);
    expect(text).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).toContain('CANARY-123456789');
    expect(text.split(' ').length).toBeGreaterThan(30);
  });

  it('is built by the factory from config', () => {
    expect(createBackend(simBackendSchema.parse({ kind: 'sim' }), 'm1').name).toBe('sim:m1');
    expect(() => createBackend(undefined, 'nope')).toThrow(/no backend/);
  });
});

describe('Retry-After', () => {
  it('parses delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
