import type { OpenAIBackendConfig } from './config.ts';
import { abortedError, BackendError, errorForStatus, parseRetryAfter, throwIfAborted } from './errors.ts';
import { SseTruncatedError, sseData } from './sse.ts';
import type { BackendRequest, BackendResponse, ModelBackend } from './types.ts';

// Any OpenAI-compatible chat-completions server (vLLM, llama.cpp's server, Ollama, OpenAI).
// Uses the platform fetch; the API key comes from the environment and is only ever put in the
// Authorization header (never in an error message or a log line).

interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export class OpenAIBackend implements ModelBackend {
  readonly name: string;
  readonly #url: string;
  readonly #apiKey: string | undefined;
  readonly #config: OpenAIBackendConfig;

  constructor(config: OpenAIBackendConfig, model: string, env: NodeJS.ProcessEnv = process.env) {
    this.name = `openai:${model}`;
    this.#config = config;
    this.#url = `${config.baseUrl.replace(/\/+$/, '')}/v1/chat/completions`;
    this.#apiKey = env[config.apiKeyEnv] || undefined;
  }

  async complete(request: BackendRequest): Promise<BackendResponse> {
    if (this.#config.stream) {
      let text = '';
      for await (const chunk of this.stream(request)) text += chunk;
      return { text, status: 200 };
    }
    const response = await this.#post(request, false);
    const body = await readJson(response, request.signal);
    const content = (body as ChatCompletion).choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw protocolError('the response has no choices[0].message.content');
    return { text: content, status: response.status };
  }

  async *stream(request: BackendRequest): AsyncGenerator<string> {
    const response = await this.#post(request, true);
    if (!response.body) throw protocolError('the streamed response has no body');
    try {
      for await (const data of sseData(response.body)) {
        // Events already buffered must not be handed out once the caller has aborted.
        throwIfAborted(request.signal);
        const event = parseJson(data) as ChatCompletionChunk;
        if (event.error) throw serverErrorInStream(event.error);
        const delta = event.choices?.[0]?.delta?.content;
        if (typeof delta === 'string' && delta.length > 0) yield delta;
      }
    } catch (err) {
      throw mapFetchError(err, request.signal);
    }
  }

  async #post(request: BackendRequest, stream: boolean): Promise<Response> {
    throwIfAborted(request.signal);
    const messages: ChatMessage[] = [];
    if (this.#config.systemPrompt) messages.push({ role: 'system', content: this.#config.systemPrompt });
    messages.push({ role: 'user', content: request.prompt });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
    };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: this.#config.model ?? request.model,
          messages,
          max_tokens: request.maxTokens,
          temperature: request.temperature,
          stream,
        }),
        signal: request.signal,
      });
    } catch (err) {
      throw mapFetchError(err, request.signal);
    }
    if (!response.ok) {
      // The body may echo the prompt: only the server's error type/code goes into the message.
      const detail = await errorDetail(response);
      throw errorForStatus(
        response.status,
        `openai backend answered ${response.status}${detail}`,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    return response;
  }
}

interface ChatCompletion {
  choices?: Array<{ message?: { content?: unknown } }>;
}
interface ChatCompletionChunk {
  choices?: Array<{ delta?: { content?: unknown } }>;
  error?: { type?: unknown; code?: unknown };
}

function protocolError(message: string, cause?: unknown): BackendError {
  return new BackendError('BACKEND_PROTOCOL', message, { retryable: false, cause });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw protocolError('the server sent invalid JSON', err);
  }
}

async function readJson(response: Response, signal: AbortSignal): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    throw mapFetchError(err, signal);
  }
  return parseJson(text);
}

function serverErrorInStream(error: { type?: unknown; code?: unknown }): BackendError {
  const label = [error.type, error.code].filter((v) => typeof v === 'string').join('/');
  return new BackendError(
    'BACKEND_SERVER_ERROR',
    `the stream carried an error${label ? ` (${label})` : ''}`,
    {
      retryable: true,
    },
  );
}

async function errorDetail(response: Response): Promise<string> {
  try {
    const body = JSON.parse(await response.text()) as { error?: { type?: unknown; code?: unknown } };
    const parts = [body.error?.type, body.error?.code].filter((v) => typeof v === 'string' && v.length < 80);
    return parts.length > 0 ? ` (${parts.join('/')})` : '';
  } catch {
    return '';
  }
}

/** fetch rejects with an AbortError when the signal fires and a TypeError on network failure. */
function mapFetchError(err: unknown, signal: AbortSignal): unknown {
  if (err instanceof BackendError) return err;
  if (signal.aborted) return abortedError(err);
  if (err instanceof SseTruncatedError) {
    return new BackendError('BACKEND_NETWORK', err.message, { retryable: true, cause: err });
  }
  return new BackendError('BACKEND_NETWORK', `network failure: ${(err as Error)?.message ?? String(err)}`, {
    retryable: true,
    cause: err,
  });
}
