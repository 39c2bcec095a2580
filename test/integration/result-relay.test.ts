import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config/load.ts';
import type { Producer } from '../../pipeline/kafka/client.ts';
import { ResultOutbox } from '../../workers/results/outbox.ts';
import { ResultRelay } from '../../workers/results/relay.ts';
import { waitFor } from '../unit/pool/fixtures/pool-env.ts';

// The outbox and its relay against the real Redis, with a Kafka producer that refuses on demand:
// nothing is acknowledged (so nothing can be lost) before Kafka took it.

const config = loadConfig({ env: process.env });
const conns: Redis[] = [];
afterEach(() => {
  for (const c of conns.splice(0)) c.disconnect();
});

function connect(): Redis {
  const c = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  conns.push(c);
  return c;
}

class FlakyProducer {
  failing = 0;
  readonly sent: string[] = [];
  async sendBatch({ topicMessages }: { topicMessages: Array<{ messages: Array<{ key: string | null }> }> }) {
    if (this.failing > 0) {
      this.failing--;
      throw new Error('broker away');
    }
    for (const t of topicMessages) for (const m of t.messages) this.sent.push(String(m.key));
  }
}

function setUp() {
  const prefix = `t.relay.${randomUUID().slice(0, 8)}.`;
  const redis = connect();
  const stream = `${prefix}results-outbox`;
  const outbox = new ResultOutbox(redis, {
    stream,
    markerPrefix: `${prefix}marker:`,
    markerTtlMs: 60_000,
    maxBatch: 100,
  });
  const producer = new FlakyProducer();
  const relay = new ResultRelay(connect(), redis, producer as unknown as Producer, {
    stream,
    group: 'relay',
    consumer: `relay-${randomUUID()}`,
    maxBatch: 100,
    claimIdleMs: 60_000,
    blockMs: 100,
  });
  const append = (id: string) =>
    outbox.append({
      requestId: id,
      topic: 'results',
      value: Buffer.from(id),
      traceparent: '',
      tracestate: '',
    }).outcome;
  return { redis, stream, outbox, producer, relay, append };
}

describe('result outbox and relay', () => {
  it('keeps entries until Kafka takes them, then acknowledges and deletes them', async () => {
    const { redis, stream, producer, relay, append } = setUp();
    producer.failing = 2;
    expect(await Promise.all(['a', 'b', 'c'].map(append))).toEqual(['published', 'published', 'published']);
    expect(await append('a')).toBe('duplicate');
    await relay.start();
    await waitFor(() => producer.sent.length === 3, 10_000, 'relayed');
    expect(producer.sent.sort()).toEqual(['a', 'b', 'c']);
    await relay.stop();
    expect(await redis.xlen(stream)).toBe(0);
    expect(((await redis.xpending(stream, 'relay')) as unknown[])[0]).toBe(0);
  });

  it('a relay stopped while Kafka refuses leaves its entries pending for another relay', async () => {
    const { redis, stream, producer, relay, append } = setUp();
    producer.failing = 1_000;
    await relay.start();
    await append('x');
    await waitFor(
      async () => ((await redis.xpending(stream, 'relay')) as unknown[])[0] === 1,
      10_000,
      'read',
    );
    await relay.stop();
    expect(producer.sent).toEqual([]);
    expect(await redis.xlen(stream)).toBe(1);
    expect(((await redis.xpending(stream, 'relay')) as unknown[])[0]).toBe(1);
  });
});
