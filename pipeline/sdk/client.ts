import type { RedlineConfig } from '../../infra/config/schema.ts';
import { codecFor } from '../../schemas/codec.ts';
import { RedlineError } from '../errors.ts';
import { createKafka, type Producer } from '../kafka/client.ts';
import { topicName } from '../topics.ts';
import { followOutcomes, type Outcome } from './outcomes.ts';
import { type SubmitRequest, toInferenceRequest } from './request-schema.ts';

interface Waiter {
  resolve(outcome: Outcome): void;
  timer: NodeJS.Timeout;
}

/**
 * The producer SDK: validate and publish requests, then wait for each one's outcome.
 *
 *   const client = new RedlineClient(config);
 *   const id = await client.submit({ tenant, model, prompt, token });
 *   const outcome = await client.result(id, { timeoutMs: 30_000 });
 *   await client.close();
 *
 * `result()` sees outcomes published after the client started listening (its first submit or
 * `listen()`); outcomes that arrive before anyone asks are kept (bounded) until asked for.
 */
export class RedlineClient {
  private producer: Promise<Producer> | undefined;
  private listener: Promise<{ stop(): Promise<void> }> | undefined;
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly arrived = new Map<string, Outcome>();
  private static readonly MAX_KEPT = 100_000;

  constructor(private readonly config: RedlineConfig) {}

  /** Starts listening for outcomes (called by the first submit). */
  listen(): Promise<void> {
    this.listener ??= followOutcomes(this.config, (o) => this.deliver(o));
    return this.listener.then(() => undefined);
  }

  /** Validates (INVALID_REQUEST, nothing sent), publishes keyed by request id, returns the id. */
  async submit(request: SubmitRequest, headers: Record<string, string> = {}): Promise<string> {
    const full = toInferenceRequest(request);
    const value = codecFor('InferenceRequest').encode(full);
    await this.listen();
    const producer = await this.connectProducer();
    await producer.send({
      topic: topicName(this.config, 'requests'),
      messages: [{ key: full.requestId, value, headers }],
    });
    return full.requestId;
  }

  /** Publishes many requests in one round trip (already validated in full before any is sent). */
  async submitMany(requests: SubmitRequest[]): Promise<string[]> {
    const full = requests.map((r) => toInferenceRequest(r));
    const codec = codecFor('InferenceRequest');
    await this.listen();
    const producer = await this.connectProducer();
    await producer.send({
      topic: topicName(this.config, 'requests'),
      messages: full.map((r) => ({ key: r.requestId, value: codec.encode(r) })),
    });
    return full.map((r) => r.requestId);
  }

  /** The outcome of a request; RESULT_TIMEOUT when none arrives in time. Quarantine counts as an outcome. */
  async result(requestId: string, options: { timeoutMs?: number; final?: boolean } = {}): Promise<Outcome> {
    await this.listen();
    const kept = this.arrived.get(requestId);
    if (kept && !(options.final && kept.kind === 'quarantined')) {
      this.arrived.delete(requestId);
      return kept;
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.removeWaiter(requestId, waiter);
        reject(new RedlineError('RESULT_TIMEOUT', `no outcome for ${requestId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        timer,
        resolve: (o) => {
          if (options.final && o.kind === 'quarantined') return;
          this.removeWaiter(requestId, waiter);
          clearTimeout(timer);
          resolve(o);
        },
      };
      const list = this.waiters.get(requestId) ?? [];
      list.push(waiter);
      this.waiters.set(requestId, list);
    });
  }

  async close(): Promise<void> {
    for (const list of this.waiters.values()) for (const w of list) clearTimeout(w.timer);
    this.waiters.clear();
    await (await this.listener?.catch(() => undefined))?.stop();
    await (await this.producer?.catch(() => undefined))?.disconnect();
  }

  private connectProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = createKafka(this.config, { clientId: 'redline-sdk' }).producer({ idempotent: true });
      this.producer = producer.connect().then(() => producer);
    }
    return this.producer;
  }

  private deliver(outcome: Outcome): void {
    const list = this.waiters.get(outcome.requestId);
    if (list?.length) {
      for (const w of [...list]) w.resolve(outcome);
      return;
    }
    if (this.arrived.size >= RedlineClient.MAX_KEPT) {
      const oldest = this.arrived.keys().next().value;
      if (oldest !== undefined) this.arrived.delete(oldest);
    }
    this.arrived.set(outcome.requestId, outcome);
  }

  private removeWaiter(requestId: string, waiter: Waiter): void {
    const list = this.waiters.get(requestId)?.filter((w) => w !== waiter) ?? [];
    if (list.length) this.waiters.set(requestId, list);
    else this.waiters.delete(requestId);
  }
}
