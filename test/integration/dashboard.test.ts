import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsConsumer } from '../../analytics/consumer.ts';
import { ThroughputMeter } from '../../analytics/dashboard/live-stats.ts';
import { toScatterView } from '../../analytics/dashboard/scatter.ts';
import { type DashboardHandle, startDashboard } from '../../analytics/dashboard/server.ts';
import { summarizeCluster } from '../../analytics/summary.ts';
import { syntheticStream } from '../../analytics/synthetic-spans.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { Alert, Rejection, SpanEvent } from '../../schemas/types.ts';
import { queueName, TIER_PRIORITY } from '../../workers/job.ts';
import { PoolRegistry, registryKeys } from '../../workers/pool/registry.ts';
import { isolatedConfig } from '../helpers/kafka.ts';

// The SRE dashboard in a real browser (Debian's chromium driven by playwright-core) against the
// real Kafka and Redis: the page is loaded first, then a scenario is published (a span stream with
// a backend-timeout incident, an Alert record, rejections, queued jobs), and the test waits for
// each part to appear in the DOM. Each test has its own topic prefix and model queue.

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const WINDOW_MS = 60_000;
/** Marks a prompt held in a queued job's data: it must never reach the page. */
const PROMPT_MARKER = `PROMPT-MARKER-${randomUUID().slice(0, 8)}`;

let context: BrowserContext;
let userDataDir: string;
let redis: Redis;
const configs: RedlineConfig[] = [];
const queues: Queue[] = [];

beforeAll(async () => {
  // Installs Debian's chromium when missing (root on CI); fast no-op when present.
  execFileSync('bash', [join(import.meta.dirname, '..', '..', 'scripts', 'ensure-chromium.sh')], {
    stdio: 'inherit',
  });
  userDataDir = mkdtempSync(join(tmpdir(), 'redline-dashboard-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1360, height: 1000 },
  });
  redis = new Redis('redis://127.0.0.1:6379');
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  for (const q of queues) await q.obliterate({ force: true }).catch(() => {});
  await Promise.all(queues.map((q) => q.close()));
  for (const config of configs) {
    const keys = [
      ...(await redis.keys(`bull:${config.topics.prefix}*`)),
      ...(await redis.keys(`${config.analytics.redisKeyPrefix}*`)),
    ];
    if (keys.length > 0) await redis.del(...keys);
  }
  redis?.disconnect();
  if (configs.length > 0) {
    const admin = createKafka(configs[0]!).admin();
    await admin.connect();
    const existing = await admin.listTopics();
    await admin
      .deleteTopics({ topics: existing.filter((t) => configs.some((c) => t.startsWith(c.topics.prefix))) })
      .catch(() => {});
    await admin.disconnect();
  }
});

async function dashboardConfig(name: string): Promise<RedlineConfig> {
  const base = await isolatedConfig(name);
  const config: RedlineConfig = {
    ...base,
    analytics: {
      ...base.analytics,
      windowMs: WINDOW_MS,
      // The scenario's last window closes once the input has been quiet this long.
      idleCloseMs: 1_500,
      groupId: `${base.topics.prefix}analytics`,
      redisKeyPrefix: `${base.topics.prefix}analytics:`,
    },
  };
  configs.push(config);
  return config;
}

/** A model queue with waiting jobs of two tiers, two live slots and a preemption count, as a pool leaves them. */
async function seedPool(config: RedlineConfig, model: string): Promise<void> {
  const name = queueName(config, model);
  const queue = new Queue(name, { connection: redis, prefix: 'bull' });
  queues.push(queue);
  const job = (i: number, tier: 'interactive' | 'batch') => ({
    name: 'inference',
    data: { requestId: `r-${i}`, prompt: `${PROMPT_MARKER} ${i}`, tier },
    opts: { jobId: `r-${i}`, priority: TIER_PRIORITY[tier] },
  });
  await queue.addBulk([
    ...[0, 1, 2].map((i) => job(i, 'interactive')),
    ...[3, 4, 5, 6, 7].map((i) => job(i, 'batch')),
  ]);
  const registry = new PoolRegistry(redis, registryKeys('bull', name), `test-${randomUUID()}`);
  await registry.heartbeat(2, 60_000, Date.now());
  await redis.set(registry.keys.preemptions, '3');
}

interface Scenario {
  alert: Alert;
  incidentWindowStart: number;
}

/** Three windows of traffic ending just before now; the last holds a backend-timeout incident. */
async function publishScenario(config: RedlineConfig): Promise<Scenario> {
  const startMs = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS - 3 * WINDOW_MS;
  const incidentWindowStart = startMs + 2 * WINDOW_MS;
  const spans = syntheticStream({
    seed: 11,
    windowMs: WINDOW_MS,
    startMs,
    windows: 3,
    requestsPerWindow: 300,
    incident: { kind: 'backend-timeouts', fromWindow: 2, windows: 1, requestsPerWindow: 60 },
  });
  const alert: Alert = {
    alertId: `test-${randomUUID().slice(0, 12)}`,
    severity: 'critical',
    summary: 'new error cluster in backend: BACKEND_TIMEOUT on backend.call (model llama-3-70b)',
    reason: 'new',
    stage: 'backend',
    spanName: 'backend.call',
    errorType: 'BACKEND_TIMEOUT',
    clusterSize: 60,
    share: 0.5,
    p50Ms: 15_020,
    p99Ms: 15_049,
    exemplarTraceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'],
    windowStart: incidentWindowStart,
    windowEnd: incidentWindowStart + WINDOW_MS,
    link: 'http://localhost:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736',
  };
  const codes = [
    'AUTH_EXPIRED',
    'AUTH_EXPIRED',
    'AUTH_EXPIRED',
    'RULE_MATCH',
    'RULE_MATCH',
    'INJECTION_DETECTED',
  ];
  const rejections: Rejection[] = codes.map((code, i) => ({
    requestId: `rej-${i}`,
    tenant: 'acme',
    stage: code.startsWith('AUTH') ? 'auth' : code === 'RULE_MATCH' ? 'sanitize' : 'detect',
    code,
    detail: 'rejected in the dashboard test',
    batchId: null,
    batchIndex: null,
    rejectedAt: Date.now(),
  }));
  const producer = createKafka(config).producer();
  await producer.connect();
  try {
    const spanCodec = codecFor('SpanEvent');
    for (let i = 0; i < spans.length; i += 2_000) {
      await producer.send({
        topic: topicName(config, 'spans'),
        messages: spans.slice(i, i + 2_000).map((s) => ({ key: s.traceId, value: spanCodec.encode(s) })),
      });
    }
    await producer.send({
      topic: topicName(config, 'rejected'),
      messages: rejections.map((r) => ({ key: r.requestId, value: codecFor('Rejection').encode(r) })),
    });
    await producer.send({
      topic: topicName(config, 'alerts'),
      messages: [{ value: codecFor('Alert').encode(alert) }],
    });
  } finally {
    await producer.disconnect();
  }
  return { alert, incidentWindowStart };
}

async function openDashboard(url: string): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${msg.text()} (${msg.location().url})`);
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  // A script error or a CSP violation would leave the page half-drawn; fail on it at the end.
  (page as Page & { errors?: string[] }).errors = errors;
  return page;
}

async function checkScenarioShown(page: Page, scenario: Scenario, model: string): Promise<void> {
  const { alert } = scenario;
  // The alert, read from the alerts topic.
  const item = page.locator(`#alerts li[data-alert-id="${alert.alertId}"]`);
  await item.waitFor({ timeout: 60_000 });
  expect(await item.getAttribute('data-severity')).toBe('critical');
  expect(await item.textContent()).toContain('BACKEND_TIMEOUT');
  expect(await item.locator('a').getAttribute('href')).toBe(alert.link);

  // The incident window's error spans, clustered: several clusters, the timeouts among them.
  await page.waitForSelector(`#scatter[data-window-start="${scenario.incidentWindowStart}"]`, {
    timeout: 60_000,
  });
  const clusters = await page.$$eval('#scatter circle', (dots) => [
    ...new Set(dots.map((d) => d.getAttribute('data-cluster'))),
  ]);
  expect(clusters.length).toBeGreaterThanOrEqual(2);
  const timeoutClusters = await page.$$eval('#scatter circle[data-error-type="BACKEND_TIMEOUT"]', (dots) => [
    ...new Set(dots.map((d) => d.getAttribute('data-cluster'))),
  ]);
  expect(timeoutClusters).toHaveLength(1);
  expect(await page.locator('#scatter circle[data-error-type="BACKEND_TIMEOUT"]').count()).toBe(60);
  expect(await page.locator('#clusters li').count()).toBe(
    Number(await page.getAttribute('#scatter', 'data-k')),
  );
  // The alert is about the timeout cluster, and the legend says so.
  await page.waitForSelector(`#clusters li[data-cluster-id="${timeoutClusters[0]}"][data-alerted="true"]`, {
    timeout: 10_000,
  });

  // Throughput per stage, rejections by code, the pool.
  await page.waitForSelector('#throughput .row[data-stage="backend"]', { timeout: 30_000 });
  await page.waitForSelector('#rejections .row[data-code="AUTH_EXPIRED"][data-count="3"]', {
    timeout: 30_000,
  });
  expect(await page.locator('#rejections .row').count()).toBe(3);
  const poolRow = page.locator(`#pool tr[data-model="${model}"]`);
  await poolRow.waitFor({ timeout: 30_000 });
  const cells = await poolRow.locator('td').allTextContents();
  // model, slots, running, interactive, standard, batch, unprioritised, aged, delayed, preemptions
  expect(cells.slice(0, 10)).toEqual([model, '2', '0', '3', '0', '5', '0', '0', '0', '3']);

  // No prompt reaches the page.
  expect(await page.content()).not.toContain(PROMPT_MARKER);
  expect((page as Page & { errors?: string[] }).errors).toEqual([]);
}

describe('SRE dashboard in a real browser', () => {
  it('shows live alerts, clustered error spans, throughput, rejections and the pool (standalone)', async () => {
    const config = await dashboardConfig('dashboard');
    const model = `m-${randomUUID().slice(0, 6)}`;
    await seedPool(config, model);
    let dashboard: DashboardHandle | undefined;
    try {
      dashboard = await startDashboard({ config, models: [model], pushIntervalMs: 300, poolIntervalMs: 300 });
      expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await openDashboard(dashboard.url);
      expect(await page.getAttribute('body', 'data-window-source')).toBe('local');
      const scenario = await publishScenario(config);
      await checkScenarioShown(page, scenario, model);
      const state = await (await fetch(new URL('/api/state', dashboard.url))).text();
      expect(state).not.toContain(PROMPT_MARKER);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      await page.close();
    } finally {
      await dashboard?.close();
    }
  });

  it('takes its windows from the analytics consumer when mounted in the analytics process', async () => {
    const config = await dashboardConfig('dashboard-mounted');
    const model = `m-${randomUUID().slice(0, 6)}`;
    await seedPool(config, model);
    const analytics = new AnalyticsConsumer({
      config,
      fromBeginning: true,
      redis,
      logger: createLogger('test-dashboard-analytics'),
    });
    let dashboard: DashboardHandle | undefined;
    try {
      await analytics.start();
      dashboard = await startDashboard({
        config,
        analytics,
        models: [model],
        pushIntervalMs: 300,
        poolIntervalMs: 300,
      });
      const page = await openDashboard(dashboard.url);
      expect(await page.getAttribute('body', 'data-window-source')).toBe('analytics');
      const scenario = await publishScenario(config);
      await checkScenarioShown(page, scenario, model);
      // The plot is the analytics consumer's own latest window.
      expect(analytics.latestWindow()?.report.windowStart).toBe(scenario.incidentWindowStart);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-mounted.png'), fullPage: true });
      await page.close();
    } finally {
      await dashboard?.close();
      await analytics.stop();
    }
  });
});

// The pure parts the page depends on (no browser, no Kafka): thinning a large window keeps every
// cluster visible, and the throughput meter counts complete seconds only.
describe('dashboard views', () => {
  const span = (i: number, stage: string, errorType: string, durationMs: number): SpanEvent => ({
    traceId: i.toString(16).padStart(32, '0'),
    spanId: i.toString(16).padStart(16, '0'),
    parentSpanId: null,
    name: `stage.${stage}`,
    kind: 'consumer',
    service: `redline-${stage}`,
    startTimeMs: 0,
    durationMs,
    statusCode: 2,
    statusMessage: errorType,
    attributes: { 'redline.stage': stage, 'error.type': errorType, prompt: 'never shown' },
  });

  it('thins a large window to about maxPoints, keeping every cluster and flagging the alerted one', () => {
    const big = Array.from({ length: 9_970 }, (_, i) => span(i, 'auth', 'AUTH_EXPIRED', 1));
    const small = Array.from({ length: 30 }, (_, i) =>
      span(20_000 + i, 'backend', 'BACKEND_TIMEOUT', 15_000),
    );
    const errorSpans = [...big, ...small];
    const view = toScatterView(
      {
        windowStart: 0,
        windowEnd: WINDOW_MS,
        totalSpans: 50_000,
        errorCount: errorSpans.length,
        k: 2,
        silhouette: 0.9,
        clusters: [summarizeCluster(0, big, [], 10_000, 3), summarizeCluster(1, small, [], 10_000, 3)],
        errorSpans,
        assignments: errorSpans.map((_, i) => (i < big.length ? 0 : 1)),
        signatureCounts: {},
      },
      [
        {
          stage: 'backend',
          spanName: 'stage.backend',
          errorType: 'BACKEND_TIMEOUT',
          windowStart: 0,
        } as Alert,
      ],
      2_000,
    );
    expect(view.sampled).toBe(true);
    expect(view.points.length).toBeLessThanOrEqual(2_000 + 25);
    expect(view.points.filter((p) => p.cluster === 0).length).toBeGreaterThan(1_900);
    expect(view.points.filter((p) => p.cluster === 1)).toHaveLength(25);
    expect(view.clusters.map((c) => c.alerted)).toEqual([false, true]);
    // Only the plotted fields leave the server: no span attribute rides along.
    expect(JSON.stringify(view)).not.toContain('never shown');
  });

  it('reports spans per stage per second over complete seconds', () => {
    const meter = new ThroughputMeter(10);
    const t0 = 1_000_000;
    for (let i = 0; i < 50; i++) meter.record('auth', t0 + i * 10);
    meter.record('auth', t0 + 1_000); // the current, incomplete second
    expect(meter.rates(t0 + 1_500)).toEqual([{ stage: 'auth', perSecond: 5, total: 51 }]);
    expect(meter.rates(t0 + 12_000)).toEqual([{ stage: 'auth', perSecond: 0, total: 51 }]);
  });
});
