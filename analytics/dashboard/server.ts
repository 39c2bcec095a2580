import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger, type Logger } from '../../infra/log.ts';
import { RedlineError } from '../../pipeline/errors.ts';
import type { WindowReport } from '../analyze-window.ts';
import { stageOf } from '../features.ts';
import { TopicFeeds } from './feeds.ts';
import { PoolStatsReader } from './pool-stats.ts';
import { DashboardState } from './state.ts';
import { LocalWindows, type WindowSource } from './window-source.ts';

// The SRE dashboard: a node:http server (loopback by default) with one static page, a JSON
// snapshot and a server-sent-events stream. Alerts are pushed as they arrive, the scatter plot
// when a window closes, counters and the pool once per `pushIntervalMs`.

export interface DashboardOptions {
  config: RedlineConfig;
  /** Default: `metrics.host` (127.0.0.1): operational pages are loopback-only unless asked. */
  host?: string;
  /** Default 0: a free port (the returned url says which). */
  port?: number;
  /** The analytics process's consumer (mounted mode); without it the dashboard clusters the spans itself. */
  analytics?: WindowSource;
  redis?: Redis;
  /** Model queues always shown (queues found in Redis are added). */
  models?: readonly string[];
  bullPrefix?: string;
  /** Read the topics from their beginning (replays, tests). */
  fromBeginning?: boolean;
  pushIntervalMs?: number;
  poolIntervalMs?: number;
  logger?: Logger;
}

export interface DashboardHandle {
  url: string;
  close(): Promise<void>;
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

// Only this server's own files run on the page: no CDN, no inline script.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function loadStatic(): Map<string, { body: Buffer; type: string }> {
  const dir = new URL('./static/', import.meta.url);
  return new Map(
    Object.entries(STATIC).map(([path, { file, type }]) => [
      path,
      { body: readFileSync(new URL(file, dir)), type },
    ]),
  );
}

export async function startDashboard(options: DashboardOptions): Promise<DashboardHandle> {
  const { config } = options;
  const log = options.logger ?? createLogger('dashboard');
  const files = loadStatic();
  const local = options.analytics ? undefined : new LocalWindows(config);
  const windows: WindowSource = options.analytics ?? local!;
  const state = new DashboardState(
    Date.now(),
    options.analytics ? 'analytics' : 'local',
    config.analytics.windowMs,
  );
  const clients = new Set<ServerResponse>();

  const send = (res: ServerResponse, event: string, data: unknown) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const broadcast = (event: string, data: unknown) => {
    for (const res of clients) send(res, event, data);
  };

  const onWindow = (view: { report: WindowReport }) => broadcast('window', state.window(view.report));
  windows.on('window', onWindow);
  const initial = windows.latestWindow();
  if (initial) state.window(initial.report);

  const feeds = new TopicFeeds({
    config,
    logger: log,
    fromBeginning: options.fromBeginning ?? false,
    handlers: {
      alert: (alert) => {
        const before = state.scatter;
        if (!state.alert(alert)) return;
        broadcast('alert', alert);
        if (state.scatter !== before) broadcast('window', state.scatter);
      },
      span: (span, partition) => {
        state.span(stageOf(span), Date.now());
        local?.add(span, partition);
      },
      spansBatchEnd: () => local?.flush(),
      spansAssigned: (partitions) => local?.assign(partitions),
      rejection: (r) => state.rejection(r),
    },
  });

  const redis = options.redis ?? new Redis(config.redis.url, { maxRetriesPerRequest: 3 });
  const ownsRedis = !options.redis;
  // ioredis reconnects by itself; the pool panel shows the outage (poolError), the log says it once.
  let redisDown = false;
  if (ownsRedis) {
    redis.on('error', (err) => {
      if (!redisDown) log.warn({ err: err.message }, 'dashboard lost Redis; retrying');
      redisDown = true;
    });
    redis.on('ready', () => {
      redisDown = false;
    });
  }
  const pool = new PoolStatsReader({
    config,
    redis,
    ...(options.models ? { models: options.models } : {}),
    ...(options.bullPrefix ? { bullPrefix: options.bullPrefix } : {}),
  });
  let polling = false;
  const pollPool = async () => {
    if (polling) return;
    polling = true;
    try {
      state.pool = await pool.read();
      state.poolError = null;
    } catch (err) {
      state.poolError = `cannot read the worker pool from Redis: ${(err as Error).message}`;
    } finally {
      polling = false;
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = files.get(path);
    if (file) {
      res
        .writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', ...SECURITY_HEADERS })
        .end(file.body);
    } else if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...SECURITY_HEADERS,
      });
      res.write('retry: 2000\n\n');
      send(res, 'snapshot', state.snapshot(Date.now(), feeds.counts));
      clients.add(res);
      req.on('close', () => clients.delete(res));
    } else if (path === '/api/state') {
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
          ...SECURITY_HEADERS,
        })
        .end(JSON.stringify(state.snapshot(Date.now(), feeds.counts)));
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });

  const timers: NodeJS.Timeout[] = [];
  const stopAll = async () => {
    for (const t of timers) clearInterval(t);
    windows.off('window', onWindow);
    local?.close();
    for (const res of clients) res.end();
    clients.clear();
    // Browsers keep idle keep-alive sockets open; close() alone would wait for them.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await feeds.stop().catch(() => {});
    await pool.close().catch(() => {});
    if (ownsRedis) redis.disconnect();
  };

  try {
    await feeds.start();
    await pollPool();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? config.metrics.host, resolve);
    });
  } catch (err) {
    await stopAll();
    const message = (err as Error).message;
    if (/does not host this topic/i.test(message)) {
      throw new RedlineError(
        'DASHBOARD_TOPICS_MISSING',
        `the ${config.topics.prefix}{alerts,spans,rejected} topics do not exist: run \`redline topics create\` first`,
      );
    }
    throw new RedlineError('DASHBOARD_START_FAILED', `dashboard: ${message}`);
  }
  timers.push(
    setInterval(
      () => broadcast('stats', state.stats(Date.now(), feeds.counts)),
      options.pushIntervalMs ?? 1_000,
    ),
    setInterval(() => void pollPool(), options.poolIntervalMs ?? 2_000),
  );
  for (const t of timers) t.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  log.info({ url, windows: state.windowSource }, 'dashboard serving');
  return { url, close: stopAll };
}
