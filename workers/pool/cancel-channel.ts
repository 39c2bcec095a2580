import type { Redis } from 'ioredis';
import { createLogger } from '../../infra/log.ts';

// "Cancel job X of queue Q": BullMQ's cancelJob only reaches jobs running in the calling process,
// so a preemption decided in one pool process travels to the others over this Redis channel. Every
// pool process subscribes; the one running the job cancels it, the others ignore the message.

const log = createLogger('pool.cancel');

export interface CancelMessage {
  queue: string;
  jobId: string;
  reason: string;
}

export class CancelChannel {
  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    readonly channel: string,
  ) {}

  /** `subscriber` becomes a dedicated subscriber connection (ioredis forbids other commands on it). */
  static async open(
    publisher: Redis,
    subscriber: Redis,
    channel: string,
    onCancel: (msg: CancelMessage) => void,
  ): Promise<CancelChannel> {
    subscriber.on('message', (ch: string, raw: string) => {
      if (ch !== channel) return;
      try {
        onCancel(JSON.parse(raw) as CancelMessage);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'ignoring malformed cancel message');
      }
    });
    await subscriber.subscribe(channel);
    return new CancelChannel(publisher, subscriber, channel);
  }

  async publish(msg: CancelMessage): Promise<number> {
    return this.publisher.publish(this.channel, JSON.stringify(msg));
  }

  async close(): Promise<void> {
    await this.subscriber.unsubscribe(this.channel).catch(() => {});
  }
}

export function cancelChannelName(bullPrefix: string): string {
  return `${bullPrefix}:redline:cancel`;
}
