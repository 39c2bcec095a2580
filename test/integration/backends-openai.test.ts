import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIBackend, openaiBackendSchema } from '../../workers/backends/index.ts';
import type { BackendRequest } from '../../workers/backends/types.ts';
import { GuardedBackend, resilienceConfigSchema } from '../../workers/resilience/index.ts';

// A local server that speaks the OpenAI chat-completions protocol (JSON and SSE streaming), with
// a per-test script of failures, so the real fetch/HTTP/SSE path of the backend is exercised.

const API_KEY = 'sk-test-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2';

interface Seen {
  auth: string | undefined;
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    stream: boolean;
    max_tokens: number;
  };
}

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
/** What the next requests get, in order; the last entry repeats. */
let script: Array<'ok' | '500' | '400' | '429' | 'hang' | 'drop'> = ['ok'];
let closedEarly = 0;

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const body = JSON.parse(raw) as Seen['body'];
  seen.push({ auth: req.headers.authorization, body });
  const action = script.length > 1 ? script.shift()! : script[0]!;
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  const answer = `You said: ${user}`;
  if (action === '500') return reply(res, 500, { error: { type: 'server_error', message: `boom ${user}` } });
  if (action === '429') {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0.3' });
    res.end(JSON.stringify({ error: { type: 'rate_limit' } }));
    return;
  }
  if (action === '400') return reply(res, 400, { error: { type: 'invalid_request_error', message: user } });
  if (action === 'hang') {
    res.on('close', () => closedEarly++);
    return; // never answers: the client's timeout must abort
  }
  if (!body.stream) {
    return reply(res, 200, {
      id: 'cmpl-1',
      object: 'chat.completion',
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const pieces = answer.match(/.{1,4}/g) ?? [];
  for (const [i, piece] of pieces.entries()) {
    const event = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece } }] })}\n\n`;
    // Split some events across writes, as TCP may.
    if (i % 3 === 0) {
      res.write(event.slice(0, 7));
      await new Promise((r) => setTimeout(r, 1));
      res.write(event.slice(7));
    } else res.write(event);
    if (action === 'drop' && i === 2) {
      res.destroy();
      return;
    }
  }
  res.write(': keep-alive comment\n\n');
  res.end('data: [DONE]\n\n');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  seen = [];
  script = ['ok'];
  closedEarly = 0;
});

function backend(overrides: Record<string, unknown> = {}) {
  const config = openaiBackendSchema.parse({
    kind: 'openai',
    baseUrl,
    model: 'llama-3-8b',
    apiKeyEnv: 'TEST_OPENAI_KEY',
    systemPrompt: 'You are terse.',
    ...overrides,
  });
  return new OpenAIBackend(config, 'chat', { TEST_OPENAI_KEY: API_KEY });
}

function guarded(b = backend(), overrides: Record<string, unknown> = {}) {
  return new GuardedBackend(
    b,
    'chat',
    resilienceConfigSchema.parse({
      timeoutMs: 2_000,
      retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 },
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 200 },
      ...overrides,
    }),
  );
}

function request(prompt = 'hello world', signal = new AbortController().signal): BackendRequest {
  return { requestId: 'r1', model: 'chat', prompt, maxTokens: 32, temperature: 0.2, signal };
}

async function drain(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('openai backend against a local chat-completions server', () => {
  it('completes without streaming, sending the model, messages and the API key', async () => {
    const res = await backend().complete(request('ping'));
    expect(res).toEqual({ text: 'You said: ping', status: 200 });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.auth).toBe(`Bearer ${API_KEY}`);
    expect(seen[0]!.body).toMatchObject({
      model: 'llama-3-8b',
      stream: false,
      max_tokens: 32,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'ping' },
      ],
    });
  });

  it('streams SSE chunks until [DONE], events split across writes included', async () => {
    const chunks = await drain(backend().stream(request('a streamed answer')));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe('You said: a streamed answer');
    expect(seen[0]!.body.stream).toBe(true);
    // complete() over the stream when configured to stream.
    expect((await backend({ stream: true }).complete(request('x'))).text).toBe('You said: x');
  });

  it('retries a 500 and then succeeds', async () => {
    script = ['500', '500', 'ok'];
    const res = await guarded().complete(request('retry me'));
    expect(res.text).toBe('You said: retry me');
    expect(seen).toHaveLength(3);
  });

  it('retries a 429 and a stream cut off before [DONE]', async () => {
    script = ['429', 'ok'];
    const started = performance.now();
    expect(
      (
        await guarded(backend(), { retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 5_000 } }).complete(
          request('rl'),
        )
      ).text,
    ).toBe('You said: rl');
    // The retry waited for the server's Retry-After (0.3 s), not the 1 ms back-off.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    script = ['drop'];
    await expect(drain(backend().stream(request('cut short please')))).rejects.toMatchObject({
      code: 'BACKEND_NETWORK',
      retryable: true,
    });
  });

  it('does not retry a 400, and keeps the body (which may echo the prompt) out of the error', async () => {
    script = ['400'];
    const err = await guarded()
      .complete(request('secret prompt text'))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BACKEND_BAD_REQUEST', retryable: false, status: 400 });
    expect((err as Error).message).toContain('invalid_request_error');
    expect((err as Error).message).not.toContain('secret prompt text');
    expect((err as Error).message).not.toContain(API_KEY);
    expect(seen).toHaveLength(1);
  });

  it('aborts a call that outlives its timeout (the server sees the connection close)', async () => {
    script = ['hang'];
    const g = guarded(backend(), {
      timeoutMs: 100,
      retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 10 },
    });
    await expect(g.complete(request())).rejects.toMatchObject({ code: 'BACKEND_TIMEOUT' });
    expect(seen).toHaveLength(2);
    await expect.poll(() => closedEarly).toBe(2);
  });

  it("honours the caller's AbortSignal (preemption) mid-request and mid-stream", async () => {
    script = ['hang'];
    const ctrl = new AbortController();
    const pending = backend().complete(request('x', ctrl.signal));
    setTimeout(() => ctrl.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'BACKEND_ABORTED' });
    await expect.poll(() => closedEarly).toBe(1);

    script = ['ok'];
    const ctrl2 = new AbortController();
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const c of guarded().stream(request('a long enough answer', ctrl2.signal))) {
          got.push(c);
          ctrl2.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'BACKEND_ABORTED' });
    expect(got).toHaveLength(1);
  });

  it('breaker over HTTP: five 500s open it, it fails fast without a request, half-opens and closes on a 200', async () => {
    script = ['500', '500', '500', '500', '500', 'ok'];
    const g = guarded(backend(), { retry: { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 1 } });
    const states: string[] = [];
    g.onStateChange((c) => states.push(c.state));
    for (let i = 0; i < 5; i++) {
      await expect(g.complete(request())).rejects.toMatchObject({
        code: 'BACKEND_SERVER_ERROR',
        status: 500,
      });
    }
    expect(g.breakerState).toBe('open');
    await expect(g.complete(request())).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect(seen).toHaveLength(5);
    await new Promise((r) => setTimeout(r, 250));
    expect((await g.complete(request('back'))).text).toBe('You said: back');
    expect(seen).toHaveLength(6);
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('maps a refused connection to a retryable network error and opens the breaker', async () => {
    const dead = new OpenAIBackend(
      openaiBackendSchema.parse({ kind: 'openai', baseUrl: 'http://127.0.0.1:9' }),
      'chat',
      {},
    );
    await expect(dead.complete(request())).rejects.toMatchObject({
      code: 'BACKEND_NETWORK',
      retryable: true,
    });
    const g = guarded(dead, { retry: { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 1 } });
    for (let i = 0; i < 5; i++)
      await expect(g.complete(request())).rejects.toMatchObject({ code: 'BACKEND_NETWORK' });
    await expect(g.complete(request())).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });
});
