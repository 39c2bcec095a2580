import { randomUUID } from 'node:crypto';
import type { Message, Producer } from '../../pipeline/kafka/client.ts';
import type { ResultMarker } from './marker.ts';

// Sends each request's one outcome through one idempotent producer with one produce request in
// flight (which the idempotent producer needs for ordering), carrying everything that queued up
// meanwhile, and guards each message with the request's result marker, claimed and set for the
// whole batch in one round trip each. KafkaJS sends every `send()` as its own request and has no
// linger, so concurrent job slots would otherwise wait in line one round trip each.

export type PublishOutcome = 'published' | 'duplicate';

interface Pending {
  requestId: string;
  topic: string;
  message: Message;
  resolve(outcome: PublishOutcome): void;
  reject(err: unknown): void;
}

/** How often an outcome whose marker another run holds (mid-send, or crashed) is tried again. */
const PENDING_RETRY_MS = 250;

export class MarkedSender {
  private queue: Pending[] = [];
  private sending = false;
  private closed = false;
  private readonly retries = new Set<NodeJS.Timeout>();

  constructor(
    private readonly producer: Producer,
    private readonly marker: ResultMarker,
    private readonly maxBatch: number,
  ) {}

  /** Resolves `published` once Kafka acknowledged it, `duplicate` when the outcome was out already. */
  send(requestId: string, topic: string, message: Message): Promise<PublishOutcome> {
    return new Promise((resolve, reject) => this.enqueue({ requestId, topic, message, resolve, reject }));
  }

  private enqueue(p: Pending): void {
    if (this.closed) {
      p.reject(new Error('result sender closed'));
      return;
    }
    this.queue.push(p);
    if (!this.sending) void this.drain();
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.sendBatch(batch);
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const claimId = randomUUID();
    const states = await this.marker.claimMany(
      batch.map((p) => p.requestId),
      claimId,
    );
    const claimed: Pending[] = [];
    batch.forEach((p, i) => {
      const state = states[i];
      if (state === 'claimed') claimed.push(p);
      else if (state === 'done') p.resolve('duplicate');
      else {
        // Another run holds the claim: it turns `done` (nothing to do) or expires (this run sends).
        const timer = setTimeout(() => {
          this.retries.delete(timer);
          this.enqueue(p);
        }, PENDING_RETRY_MS);
        this.retries.add(timer);
      }
    });
    if (claimed.length === 0) return;
    const ids = claimed.map((p) => p.requestId);
    const byTopic = new Map<string, Message[]>();
    for (const p of claimed) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.message]);
    try {
      await this.producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      await this.marker.releaseMany(ids, claimId).catch(() => {});
      for (const p of claimed) p.reject(err);
      return;
    }
    // Not awaited: a job completes after its outcome is acknowledged and never runs again, so the
    // markers only have to turn `done` before the pending claims would expire.
    void this.marker.doneMany(ids).catch(() => {});
    for (const p of claimed) p.resolve('published');
  }

  close(): void {
    this.closed = true;
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
  }
}
