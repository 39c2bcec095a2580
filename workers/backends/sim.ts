import { setTimeout as sleep } from 'node:timers/promises';
import type { SimBackendConfig } from './config.ts';
import { abortedError, errorForStatus, throwIfAborted } from './errors.ts';
import { lognormal, mulberry32, type Rng } from './random.ts';
import { SimControlWatcher } from './sim-control.ts';
import { simText } from './sim-text.ts';
import type { BackendRequest, BackendResponse, ModelBackend } from './types.ts';

/** What the simulation does right now; `setConditions` and `setBrownOut` change it at run time. */
export interface SimConditions {
  errorRate: number;
  medianMs: number;
  p99Ms: number;
}

/**
 * A simulated model for demos, load tests and tests: lognormal latency, an error rate, plausible
 * text. Deterministic for a seed and a call order (one PRNG stream per instance). Honours the
 * AbortSignal during its latency and between streamed chunks.
 */
export class SimBackend implements ModelBackend {
  readonly name: string;
  readonly #config: SimBackendConfig;
  readonly #rng: Rng;
  #conditions: SimConditions;
  #brownOut = false;
  #calls = 0;
  readonly #control: SimControlWatcher | null;

  constructor(config: SimBackendConfig, model = 'sim') {
    this.name = `sim:${model}`;
    this.#config = config;
    this.#rng = mulberry32(config.seed);
    this.#conditions = {
      errorRate: config.errorRate,
      medianMs: config.latency.medianMs,
      p99Ms: config.latency.p99Ms,
    };
    this.#control = config.controlFile ? new SimControlWatcher(config.controlFile) : null;
  }

  /** Calls started so far (for tests and the demo). */
  get calls(): number {
    return this.#calls;
  }

  get conditions(): SimConditions {
    if (!this.#brownOut) return { ...this.#conditions };
    const { errorRate, latencyFactor } = this.#config.brownOut;
    return {
      errorRate: Math.max(this.#conditions.errorRate, errorRate),
      medianMs: this.#conditions.medianMs * latencyFactor,
      p99Ms: this.#conditions.p99Ms * latencyFactor,
    };
  }

  get brownOut(): boolean {
    return this.#brownOut;
  }

  /** Brown-out mode: the configured higher error rate and latency factor, until switched off. */
  setBrownOut(on: boolean): void {
    this.#brownOut = on;
  }

  /** Changes the base error rate and latency at run time. */
  setConditions(change: Partial<SimConditions>): void {
    const next = { ...this.#conditions, ...change };
    if (next.errorRate < 0 || next.errorRate > 1) throw new RangeError('errorRate must be within 0..1');
    if (next.medianMs < 0 || next.p99Ms < next.medianMs) throw new RangeError('need 0 <= medianMs <= p99Ms');
    this.#conditions = next;
  }

  async complete(request: BackendRequest): Promise<BackendResponse> {
    const plan = this.#plan(request);
    await delay(plan.latencyMs, request.signal);
    if (plan.fails) throw this.#error();
    return { text: plan.chunks.join(''), status: 200 };
  }

  async *stream(request: BackendRequest): AsyncGenerator<string> {
    const plan = this.#plan(request);
    // A third of the latency before the first chunk, the rest spread over the chunks.
    await delay(plan.latencyMs / 3, request.signal);
    if (plan.fails) throw this.#error();
    const perChunk = (plan.latencyMs * 2) / 3 / Math.max(1, plan.chunks.length);
    for (const chunk of plan.chunks) {
      yield chunk;
      await delay(perChunk, request.signal);
    }
  }

  #plan(request: BackendRequest): { latencyMs: number; fails: boolean; chunks: string[] } {
    throwIfAborted(request.signal);
    this.#applyControl();
    this.#calls++;
    const c = this.conditions;
    // Fixed draw order per call, so a seed reproduces the same run.
    const latencyMs = lognormal(this.#rng, c.medianMs, c.p99Ms);
    const fails = this.#rng() < c.errorRate;
    const words = Math.max(1, Math.min(this.#config.outputWords, request.maxTokens));
    const chunks = simText(this.#rng, words);
    // Echoes go in the middle of the text, as a leak would.
    const echoes: string[] = [];
    if (this.#config.echoSystemPrompt && this.#config.systemPrompt)
      echoes.push(` ${this.#config.systemPrompt}`);
    if (this.#config.echoPrompt) echoes.push(` ${request.prompt}`);
    chunks.splice(Math.ceil(chunks.length / 2), 0, ...echoes);
    return { latencyMs, fails, chunks };
  }

  /** A changed control file replaces the run-time state: configured conditions, then the file's. */
  #applyControl(): void {
    const control = this.#control?.poll();
    if (!control) return;
    const { latency, errorRate } = this.#config;
    const next = { errorRate, medianMs: latency.medianMs, p99Ms: latency.p99Ms };
    if (control.errorRate !== undefined) next.errorRate = control.errorRate;
    if (control.medianMs !== undefined) next.medianMs = control.medianMs;
    if (control.p99Ms !== undefined) next.p99Ms = Math.max(control.p99Ms, next.medianMs);
    this.#conditions = next;
    this.#brownOut = control.brownOut ?? false;
  }

  #error() {
    return errorForStatus(this.#config.errorStatus, `simulated backend error ${this.#config.errorStatus}`);
  }
}

async function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms < 1) {
    throwIfAborted(signal);
    return;
  }
  try {
    await sleep(ms, undefined, { signal });
  } catch (err) {
    throw abortedError(err);
  }
}
