import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RedlineError } from '../../../pipeline/errors.ts';
import { SimBackend, simBackendSchema } from '../../../workers/backends/index.ts';
import type { BackendRequest, ModelBackend } from '../../../workers/backends/types.ts';
import {
  type BreakerStateChange,
  GuardedBackend,
  resilienceConfigSchema,
} from '../../../workers/resilience/index.ts';

function request(signal = new AbortController().signal): BackendRequest {
  return { requestId: 'r', model: 'm', prompt: 'hi', maxTokens: 16, temperature: 0, signal };
}

function sim(overrides: Record<string, unknown> = {}) {
  return new SimBackend(
    simBackendSchema.parse({ kind: 'sim', latency: { medianMs: 0, p99Ms: 0 }, ...overrides }),
  );
}

const fast = (overrides: Record<string, unknown> = {}) =>
  resilienceConfigSchema.parse({
    timeoutMs: 1_000,
    retry: { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 5 },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 200 },
    ...overrides,
  });

describe('guarded backend: circuit breaker', () => {
  it('opens after 5 consecutive failures, fails fast, half-opens after the interval and closes on success', async () => {
    const backend = sim({ errorRate: 1 });
    const guarded = new GuardedBackend(backend, 'm', fast());
    const changes: BreakerStateChange[] = [];
    guarded.onStateChange((c) => changes.push(c));

    for (let i = 0; i < 4; i++) {
      await expect(guarded.complete(request())).rejects.toMatchObject({ code: 'BACKEND_SERVER_ERROR' });
      expect(guarded.breakerState).toBe('closed');
    }
    await expect(guarded.complete(request())).rejects.toMatchObject({ code: 'BACKEND_SERVER_ERROR' });
    expect(guarded.breakerState).toBe('open');
    expect(backend.calls).toBe(5);

    // Open: fails fast without calling the backend.
    await expect(guarded.complete(request())).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      status: 503,
    });
    expect(backend.calls).toBe(5);

    await sleep(250);
    backend.setConditions({ errorRate: 0 });
    const ok = await guarded.complete(request());
    expect(ok.status).toBe(200);
    expect(backend.calls).toBe(6);
    expect(guarded.breakerState).toBe('closed');
    expect(changes.map((c) => `${c.previous}->${c.state}`)).toEqual([
      'closed->open',
      'open->half-open',
      'half-open->closed',
    ]);
    expect(changes.every((c) => c.model === 'm')).toBe(true);
  });

  it('re-opens when the half-open trial fails', async () => {
    const backend = sim({ errorRate: 1 });
    const guarded = new GuardedBackend(
      backend,
      'm',
      fast({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 100 } }),
    );
    for (let i = 0; i < 2; i++) await expect(guarded.complete(request())).rejects.toBeDefined();
    expect(guarded.breakerState).toBe('open');
    await sleep(150);
    await expect(guarded.complete(request())).rejects.toMatchObject({ code: 'BACKEND_SERVER_ERROR' });
    expect(guarded.breakerState).toBe('open');
    await expect(guarded.complete(request())).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });

  it('does not count non-retryable errors towards the breaker', async () => {
    const backend = sim({ errorRate: 1, errorStatus: 400 });
    const guarded = new GuardedBackend(
      backend,
      'm',
      fast({ retry: { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 2 } }),
    );
    for (let i = 0; i < 8; i++) {
      await expect(guarded.complete(request())).rejects.toMatchObject({ code: 'BACKEND_BAD_REQUEST' });
    }
    expect(backend.calls).toBe(8); // no retries
    expect(guarded.breakerState).toBe('closed');
  });
});

describe('guarded backend: errors from other parts', () => {
  it('passes another coded error (SANDBOX_LIMIT) through unchanged: not retried, not counted', async () => {
    let calls = 0;
    const sandboxLike: ModelBackend = {
      name: 'sandbox-like',
      async complete() {
        calls++;
        throw new RedlineError('SANDBOX_LIMIT', 'the sandbox broke its memory limit', { retryable: true });
      },
    };
    const guarded = new GuardedBackend(
      sandboxLike,
      'm',
      fast({ retry: { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 2 } }),
    );
    const codes: Array<string | undefined> = [];
    guarded.onAttempt((o) => codes.push(o.code));
    for (let i = 0; i < 6; i++) {
      await expect(guarded.complete(request())).rejects.toMatchObject({ code: 'SANDBOX_LIMIT' });
    }
    expect(calls).toBe(6);
    expect(guarded.breakerState).toBe('closed');
    expect(codes).toEqual(Array(6).fill('SANDBOX_LIMIT'));
  });
});

describe('guarded backend: retries and timeouts', () => {
  it('retries retryable errors and succeeds once the backend recovers', async () => {
    const backend = sim({ errorRate: 1 });
    const guarded = new GuardedBackend(
      backend,
      'm',
      fast({ retry: { maxRetries: 4, initialDelayMs: 20, maxDelayMs: 40 } }),
    );
    const outcomes: Array<{ ok: boolean; code?: string; backendFault: boolean }> = [];
    guarded.onAttempt((o) => outcomes.push({ ok: o.ok, code: o.code, backendFault: o.backendFault }));
    const pending = guarded.complete(request());
    await sleep(30);
    backend.setConditions({ errorRate: 0 });
    await expect(pending).resolves.toMatchObject({ status: 200 });
    expect(backend.calls).toBeGreaterThan(1);
    // Every attempt is reported, so the adaptive limit sees the failures the retries hid.
    expect(outcomes).toHaveLength(backend.calls);
    expect(outcomes.at(-1)).toEqual({ ok: true, code: undefined, backendFault: false });
    expect(
      outcomes.slice(0, -1).every((o) => !o.ok && o.code === 'BACKEND_SERVER_ERROR' && o.backendFault),
    ).toBe(true);
  });

  it('times an attempt out with BACKEND_TIMEOUT and retries it', async () => {
    const backend = sim({ latency: { medianMs: 60_000, p99Ms: 60_000 } });
    const guarded = new GuardedBackend(
      backend,
      'm',
      fast({ timeoutMs: 50, retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 } }),
    );
    await expect(guarded.complete(request())).rejects.toMatchObject({
      code: 'BACKEND_TIMEOUT',
      retryable: true,
    });
    expect(backend.calls).toBe(3);
  });

  it("ends at once on the caller's abort, without retrying or counting a failure", async () => {
    const backend = sim({ errorRate: 1 });
    const guarded = new GuardedBackend(
      backend,
      'm',
      fast({ retry: { maxRetries: 5, initialDelayMs: 10_000, maxDelayMs: 10_000 } }),
    );
    const ctrl = new AbortController();
    const pending = guarded.complete(request(ctrl.signal));
    await sleep(20); // the first attempt failed; the retry is in its 10 s back-off
    const aborted = Date.now();
    ctrl.abort();
    await expect(pending).rejects.toMatchObject({ code: 'BACKEND_ABORTED', retryable: false });
    expect(Date.now() - aborted).toBeLessThan(5_000);
    expect(backend.calls).toBe(1);
  });

  it('streams through the guard and applies the breaker to stream starts', async () => {
    const backend = sim({ outputWords: 12 });
    const guarded = new GuardedBackend(
      backend,
      'm',
      fast({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 10_000 } }),
    );
    const chunks: string[] = [];
    for await (const c of guarded.stream(request())) chunks.push(c);
    expect(chunks.length).toBe(12);
    backend.setConditions({ errorRate: 1 });
    for (let i = 0; i < 2; i++) {
      await expect(
        (async () => {
          for await (const _ of guarded.stream(request())) {
            // drain
          }
        })(),
      ).rejects.toMatchObject({ code: 'BACKEND_SERVER_ERROR' });
    }
    await expect(
      (async () => {
        for await (const _ of guarded.stream(request())) {
          // drain
        }
      })(),
    ).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });
});
