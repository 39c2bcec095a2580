import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertSink, cooldownKey } from '../../analytics/alert-sink.ts';
import { loadConfig } from '../../infra/config/load.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createKafka, type Producer } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import type { Alert } from '../../schemas/types.ts';

// The alert sink against the real Redis (cool-down), Kafka (alerts topic) and a real HTTP
// webhook receiver that fails on purpose.

const prefix = `t-analytics-sink-${randomBytes(4).toString('hex')}.`;
const base = loadConfig({ env: {} });
let redis: Redis;
let producer: Producer;
let server: Server;
let webhookUrl: string;
const received: Array<{ path: string; body: Alert }> = [];
let failuresLeft = 0;

function config(over: Partial<RedlineConfig['analytics']> = {}): RedlineConfig {
  return {
    ...base,
    topics: { ...base.topics, prefix },
    analytics: { ...base.analytics, redisKeyPrefix: prefix, webhookInitialDelayMs: 20, ...over },
  };
}

function alert(errorType: string): Alert {
  return {
    alertId: randomBytes(12).toString('hex'),
    severity: 'critical',
    summary: `new error cluster in enqueue: ${errorType}`,
    reason: 'new',
    stage: 'enqueue',
    spanName: 'stage.enqueue',
    errorType,
    clusterSize: 80,
    share: 0.7,
    p50Ms: 2_500,
    p99Ms: 3_000,
    exemplarTraceIds: ['a'.repeat(32)],
    windowStart: 0,
    windowEnd: 60_000,
    link: null,
  };
}

beforeAll(async () => {
  redis = new Redis(base.redis.url);
  const admin = createKafka(base).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: topicName(config(), 'alerts'), numPartitions: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  producer = createKafka(base).producer();
  await producer.connect();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/down' || failuresLeft-- > 0) {
        res.writeHead(503).end();
        return;
      }
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await producer?.disconnect();
  server?.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  const admin = createKafka(base).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topicName(config(), 'alerts')] }).catch(() => {});
  await admin.disconnect();
});

describe('alert sink', () => {
  it('publishes once per cool-down (SET NX PX in Redis) and retries the webhook with back-off', async () => {
    failuresLeft = 2;
    const sink = new AlertSink(
      redis,
      producer,
      config({ webhookUrl: `${webhookUrl}/hook`, cooldownMs: 60_000 }),
    );
    const first = alert('REDIS_TIMEOUT');
    expect(await sink.raise(first)).toBe(true);
    expect(await sink.raise(alert('REDIS_TIMEOUT'))).toBe(false);
    await sink.drain();
    expect(sink.stats).toEqual({ published: 1, suppressed: 1, webhookDelivered: 1, webhookFailed: 0 });
    expect(received).toEqual([{ path: '/hook', body: first }]);
    expect(await redis.get(cooldownKey(prefix, first))).toBe(first.alertId);
    const ttl = await redis.pttl(cooldownKey(prefix, first));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const admin = createKafka(base).admin();
    await admin.connect();
    const [offsets] = await admin.fetchTopicOffsets(topicName(config(), 'alerts'));
    await admin.disconnect();
    expect(Number(offsets!.high)).toBe(1);
  });

  it('counts a webhook that keeps failing, after its retries, without failing the alert', async () => {
    const sink = new AlertSink(
      redis,
      producer,
      config({ webhookUrl: `${webhookUrl}/down`, webhookRetries: 2 }),
    );
    expect(await sink.raise(alert('AUTH_BAD_SIGNATURE'))).toBe(true);
    await sink.drain();
    expect(sink.stats).toMatchObject({ published: 1, webhookDelivered: 0, webhookFailed: 1 });
  });
});
