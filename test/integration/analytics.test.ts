import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsConsumer } from '../../analytics/consumer.ts';
import { AnalyticsEngine } from '../../analytics/engine.ts';
import {
  INCIDENT_SIGNATURES,
  INCIDENTS,
  type IncidentKind,
  syntheticStream,
} from '../../analytics/synthetic-spans.ts';
import { loadConfig } from '../../infra/config/load.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { Alert, SpanEvent } from '../../schemas/types.ts';

// Synthetic span streams through the real Kafka and Redis: each test has its own topic prefix,
// consumer group and Redis key prefix. Windows are in event time (the spans' timestamps), so the
// outcome does not depend on how fast the machine is.

const WINDOW_MS = 60_000;
const START_MS = Math.floor(Date.UTC(2026, 0, 5, 9) / WINDOW_MS) * WINDOW_MS;
const WINDOWS = 7;
const INCIDENT_FROM = 4;
const logger = createLogger('test-analytics', undefined);

let redis: Redis;
const running: AnalyticsConsumer[] = [];
const prefixes: string[] = [];

beforeAll(() => {
  redis = new Redis(loadConfig({ env: {} }).redis.url);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  const admin = createKafka(loadConfig({ env: {} })).admin();
  await admin.connect();
  const existing = await admin.listTopics();
  await admin
    .deleteTopics({ topics: existing.filter((t) => prefixes.some((p) => t.startsWith(p))) })
    .catch(() => {});
  await admin.disconnect();
  for (const p of prefixes) {
    const keys = await redis.keys(`${p}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

async function isolated(name: string): Promise<RedlineConfig> {
  const prefix = `t-analytics-${name}-${randomBytes(4).toString('hex')}.`;
  prefixes.push(prefix);
  const base = loadConfig({ env: {} });
  const config: RedlineConfig = {
    ...base,
    topics: { ...base.topics, prefix, partitions: 3 },
    analytics: {
      ...base.analytics,
      windowMs: WINDOW_MS,
      idleCloseMs: 1_500,
      groupId: `${prefix}analytics`,
      redisKeyPrefix: prefix,
      jaegerUrl: 'http://jaeger.example:16686',
    },
  };
  const admin = createKafka(config).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: topicName(config, 'spans'), numPartitions: 3 },
      { topic: topicName(config, 'alerts'), numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  return config;
}

function stream(seed: number, incident?: IncidentKind): SpanEvent[] {
  return syntheticStream({
    seed,
    windowMs: WINDOW_MS,
    startMs: START_MS,
    windows: WINDOWS,
    requestsPerWindow: 200,
    ...(incident
      ? { incident: { kind: incident, fromWindow: INCIDENT_FROM, windows: 2, requestsPerWindow: 60 } }
      : {}),
  });
}

async function publishSpans(config: RedlineConfig, spans: SpanEvent[]): Promise<void> {
  const producer = createKafka(config).producer();
  await producer.connect();
  const codec = codecFor('SpanEvent');
  for (let i = 0; i < spans.length; i += 2_000) {
    const messages = spans.slice(i, i + 2_000).map((s) => ({ key: s.traceId, value: codec.encode(s) }));
    await producer.send({ topic: topicName(config, 'spans'), messages });
  }
  await producer.disconnect();
}

/** Runs the consumer over the whole stream: every window closed (the last one by the idle timer). */
async function analyse(config: RedlineConfig, spans: SpanEvent[]): Promise<AnalyticsConsumer> {
  await publishSpans(config, spans);
  const consumer = new AnalyticsConsumer({ config, fromBeginning: true, redis, logger });
  running.push(consumer);
  await consumer.start();
  const deadline = Date.now() + 120_000;
  while (consumer.stats().windows < WINDOWS && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  expect(consumer.stats()).toMatchObject({
    windows: WINDOWS,
    spans: spans.length,
    undecodable: 0,
    lateSpans: 0,
  });
  return consumer;
}

/** Everything on the alerts topic, decoded. */
async function alertsOnTopic(config: RedlineConfig): Promise<Alert[]> {
  const admin = createKafka(config).admin();
  await admin.connect();
  const topic = topicName(config, 'alerts');
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  if (total === 0) return [];
  const consumer = createKafka(config).consumer({ groupId: `${config.topics.prefix}reader` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const alerts: Alert[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        alerts.push(codecFor('Alert').decode(message.value));
        if (alerts.length >= total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return alerts;
}

describe('analytics consumer against the real Kafka and Redis', () => {
  it('raises no alert for steady traffic with a background error rate', async () => {
    const config = await isolated('steady');
    const spans = stream(101);
    expect(spans.filter((s) => s.statusCode === 2).length).toBeGreaterThan(100);
    const consumer = await analyse(config, spans);
    expect(consumer.recentAlerts()).toEqual([]);
    expect(await alertsOnTopic(config)).toEqual([]);
    expect(consumer.latestWindow()?.report.k).toBeGreaterThanOrEqual(2);
  });

  for (const [i, kind] of INCIDENTS.entries()) {
    it(`raises exactly one alert for the incident "${kind}", naming its stage and error type, within two windows`, async () => {
      const config = await isolated(kind);
      const consumer = await analyse(config, stream(200 + i, kind));
      const alerts = await alertsOnTopic(config);
      const want = INCIDENT_SIGNATURES[kind];
      expect(alerts.map((a) => [a.stage, a.errorType])).toEqual([[want.stage, want.errorType]]);
      const alert = alerts[0]!;
      const incidentStart = START_MS + INCIDENT_FROM * WINDOW_MS;
      expect([incidentStart, incidentStart + WINDOW_MS]).toContain(alert.windowStart);
      expect(alert.clusterSize).toBeGreaterThanOrEqual(config.analytics.minClusterSize);
      expect(alert.exemplarTraceIds.length).toBeGreaterThan(0);
      expect(alert.link).toBe(`http://jaeger.example:16686/trace/${alert.exemplarTraceIds[0]}`);
      expect(consumer.recentAlerts()).toEqual(alerts);
      // The second incident window found the same cluster and was held back by the Redis cool-down.
      expect(consumer.stats().alertsSuppressed).toBeGreaterThanOrEqual(1);
      expect(
        await redis.pttl(
          `${config.analytics.redisKeyPrefix}cooldown:${alert.stage}|${alert.spanName}|${alert.errorType}`,
        ),
      ).toBeGreaterThan(0);
    });
  }

  it('gives the same clusters through Kafka (3 partitions, any arrival order) as the engine on the same input and seed', async () => {
    const config = await isolated('determinism');
    const spans = stream(300, 'slow-redis');
    const reports: unknown[] = [];
    const consumer = new AnalyticsConsumer({ config, fromBeginning: true, redis, logger });
    consumer.on('window', (w) => reports.push(w.report));
    await publishSpans(config, spans);
    running.push(consumer);
    await consumer.start();
    const deadline = Date.now() + 120_000;
    while (reports.length < WINDOWS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const engine = new AnalyticsEngine(config.analytics);
    for (const s of [...spans].reverse()) engine.add(s, 0);
    const expected = engine.closeAll().map((o) => o.report);
    expect(reports).toHaveLength(WINDOWS);
    expect(JSON.parse(JSON.stringify(reports))).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});
