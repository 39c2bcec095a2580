import type { Message, Producer } from '../../pipeline/kafka/client.ts';

// Sends messages through one idempotent producer with one produce request in flight (which the
// idempotent producer needs for ordering), carrying everything that queued up meanwhile. KafkaJS
// sends each `send()` as its own request and has no linger, so concurrent job slots would otherwise
// wait in line one round trip each; this is the small batching layer it lacks.

interface Pending {
  topic: string;
  message: Message;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class BatchSender {
  private queue: Pending[] = [];
  private sending = false;

  constructor(
    private readonly producer: Producer,
    private readonly maxBatch: number,
  ) {}

  /** Resolves once Kafka has acknowledged the message. */
  send(topic: string, message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, message, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const byTopic = new Map<string, Message[]>();
        for (const p of batch) {
          const list = byTopic.get(p.topic) ?? [];
          list.push(p.message);
          byTopic.set(p.topic, list);
        }
        try {
          await this.producer.sendBatch({
            topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          });
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
