import { z } from 'zod';

// Backend settings (the `workers.backends` section): one entry per model name, keyed as the
// request's `model`. Secrets never live here: the API key and the model passphrase are read from
// the environment variables named below.

const systemPrompt = z.string().optional();

export const openaiBackendSchema = z
  .object({
    kind: z.literal('openai'),
    /** Root of an OpenAI-compatible server (vLLM, llama.cpp's server, Ollama), without `/v1`. */
    baseUrl: z.string().url(),
    /** The model name sent to the server; defaults to the redline model name. */
    model: z.string().min(1).optional(),
    /** Environment variable holding the API key (sent as a Bearer token; unset sends none). */
    apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY'),
    /** Ask for a server-sent-event stream instead of one JSON body. */
    stream: z.boolean().default(false),
    /** Sent as the first (system) message; where canary tokens are planted. */
    systemPrompt,
  })
  .strict();

const latencySchema = z
  .object({
    /** Lognormal latency: median and 99th percentile in ms (p99 >= median). 0/0 is instant. */
    medianMs: z.number().nonnegative().default(50),
    p99Ms: z.number().nonnegative().default(400),
  })
  .refine((l) => l.p99Ms >= l.medianMs, 'p99Ms must be >= medianMs')
  .prefault({});

export const simBackendSchema = z
  .object({
    kind: z.literal('sim'),
    /** Same seed, same latencies, errors and text. */
    seed: z.number().int().default(1),
    latency: latencySchema,
    /** Share of calls that fail with `errorStatus` (0..1). */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.number().int().min(400).max(599).default(503),
    /** Words per response (the text is plausible filler, not a model). */
    outputWords: z.number().int().positive().default(40),
    /** Copy the prompt into the output (tests plant secrets and PII in it). */
    echoPrompt: z.boolean().default(false),
    /** Copy the system prompt into the output: a leaked canary, for tests and the demo. */
    echoSystemPrompt: z.boolean().default(false),
    /** What `brownOut(true)` switches to at run time, for the demo. */
    brownOut: z
      .object({
        errorRate: z.number().min(0).max(1).default(0.5),
        latencyFactor: z.number().positive().default(5),
      })
      .prefault({}),
    systemPrompt,
    /**
     * A JSON file (see sim-control.ts) that switches brown-out and the conditions at run time, in
     * every process and sandbox running this backend; `redline`'s demo writes it.
     */
    controlFile: z.string().min(1).optional(),
  })
  .strict();

export const onnxBackendSchema = z
  .object({
    kind: z.literal('onnx'),
    /** The encrypted model file (infra/model-store format). */
    path: z.string().min(1),
    /** Environment variable holding the model passphrase (see infra/model-store/passphrase.ts). */
    passphraseEnv: z.string().min(1).default('REDLINE_MODEL_KEY'),
    /** Tokens generated at most per call (also bounded by the request's maxTokens). */
    maxNewTokens: z.number().int().positive().default(32),
    /** The model's context window in tokens; the prompt is truncated from the left to fit. */
    contextTokens: z.number().int().positive().default(64),
  })
  .strict();

export const backendConfigSchema = z.discriminatedUnion('kind', [
  openaiBackendSchema,
  simBackendSchema,
  onnxBackendSchema,
]);

export type OpenAIBackendConfig = z.infer<typeof openaiBackendSchema>;
export type SimBackendConfig = z.infer<typeof simBackendSchema>;
export type OnnxBackendConfig = z.infer<typeof onnxBackendSchema>;
export type BackendConfig = z.infer<typeof backendConfigSchema>;

/** Model name -> backend. By default one simulated model, so the demo runs with no server. */
export const backendsConfigSchema = z
  .record(z.string().min(1), backendConfigSchema)
  .default({ sim: simBackendSchema.parse({ kind: 'sim' }) });
