import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { RedlineConfig } from '../infra/config/schema.ts';
import { createLogger, type Logger } from '../infra/log.ts';
import { type Consumer, createKafka, type Producer } from '../pipeline/kafka/client.ts';
import { topicName } from '../pipeline/topics.ts';
import { codecFor } from '../schemas/codec.ts';
import type { Alert } from '../schemas/types.ts';
import { AlertSink } from './alert-sink.ts';
import type { WindowReport } from './analyze-window.ts';
import { AnalyticsEngine, type WindowOutcome } from './engine.ts';

// The analytics process: `<prefix>spans` → AnalyticsEngine (windows, clustering, rules) →
// AlertSink (Redis cool-down, `<prefix>alerts`, webhook). It also keeps the latest window and the
// recent alerts in memory for an in-process reader (the dashboard), with events for each.
//
// Delivery: offsets are committed as spans are read, so a restart loses the open windows' spans
// (at most one window plus the lateness); analytics accepts that rather than replaying.

export interface WindowView {
  report: WindowReport;
  /** Alerts raised and published for this window (after the cool-down). */
  alerts: Alert[];
}

export interface AnalyticsStats {
  spans: number;
  undecodable: number;
  lateSpans: number;
  windows: number;
  alertsPublished: number;
  alertsSuppressed: number;
  alertErrors: number;
  webhookDelivered: number;
  webhookFailed: number;
}

export interface AnalyticsConsumerOptions {
  config: RedlineConfig;
  /** Read the spans topic from its start when the group has no committed offsets (tests, replays). */
  fromBeginning?: boolean;
  redis?: Redis;
  logger?: Logger;
  now?: () => number;
  /** How many recent alerts `recentAlerts()` keeps. */
  keepAlerts?: number;
}

type Events = { window: [WindowView]; alert: [Alert] };

export class AnalyticsConsumer extends EventEmitter<Events> {
  readonly engine: AnalyticsEngine;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly ownsRedis: boolean;
  private readonly redis: Redis;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private sink: AlertSink | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastSpanAt = 0;
  private work: Promise<void> = Promise.resolve();
  private latest: WindowView | undefined;
  private readonly alerts: Alert[] = [];
  private readonly counts = { spans: 0, undecodable: 0, windows: 0, alertErrors: 0 };

  constructor(private readonly options: AnalyticsConsumerOptions) {
    super();
    const a = options.config.analytics;
    this.engine = new AnalyticsEngine({ ...a, jaegerUrl: a.jaegerUrl, idlePartitionMs: a.idleCloseMs });
    this.log = options.logger ?? createLogger('analytics');
    this.now = options.now ?? Date.now;
    this.ownsRedis = !options.redis;
    this.redis =
      options.redis ?? new Redis(options.config.redis.url, { maxRetriesPerRequest: 3, lazyConnect: true });
  }

  async start(): Promise<void> {
    const { config } = this.options;
    const kafka = createKafka(config, { clientId: `${config.kafka.clientId}-analytics` });
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    this.consumer = kafka.consumer({ groupId: config.analytics.groupId, allowAutoTopicCreation: false });
    if (this.ownsRedis) await this.redis.connect();
    await this.producer.connect();
    this.sink = new AlertSink(this.redis, this.producer, config);
    const spansTopic = topicName(config, 'spans');
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      // Partitions assigned but still silent hold the watermark back (see windows.ts).
      void this.serially(async () => {
        this.engine.windows.assign(payload.memberAssignment[spansTopic] ?? [], this.now());
      });
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: topicName(config, 'spans'),
      fromBeginning: this.options.fromBeginning ?? false,
    });
    this.lastSpanAt = this.now();
    const codec = codecFor('SpanEvent');
    await this.consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        await this.serially(async () => {
          const now = this.now();
          for (const message of batch.messages) {
            try {
              this.engine.add(codec.decode(message.value), batch.partition, now);
              this.counts.spans++;
            } catch {
              // A bad span record is telemetry lost, not a pipeline fault: count it and move on.
              this.counts.undecodable++;
            }
            resolveOffset(message.offset);
          }
          this.lastSpanAt = this.now();
          await this.handle(this.engine.closeReady(now));
        });
        await heartbeat();
      },
    });
    const a = config.analytics;
    this.idleTimer = setInterval(() => this.closeIfIdle(), Math.min(1_000, Math.max(50, a.idleCloseMs / 4)));
    this.idleTimer.unref();
    this.log.info(
      { topic: topicName(config, 'spans'), windowMs: a.windowMs, groupId: a.groupId },
      'analytics consumer started',
    );
  }

  private closeIfIdle(): void {
    if (this.engine.windows.openWindows === 0) return;
    const now = this.now();
    // A silent partition stops holding the watermark back; with no span at all, close everything.
    const idle = now - this.lastSpanAt >= this.options.config.analytics.idleCloseMs;
    void this.serially(() => this.handle(idle ? this.engine.closeAll() : this.engine.closeReady(now)));
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const next = this.work.then(task);
    this.work = next.catch((err: unknown) => {
      this.log.error({ err: (err as Error).message }, 'analytics window failed');
    });
    return next;
  }

  private async handle(outcomes: WindowOutcome[]): Promise<void> {
    for (const outcome of outcomes) {
      const published: Alert[] = [];
      for (const alert of outcome.alerts) {
        try {
          if (await this.sink!.raise(alert)) published.push(alert);
        } catch (err) {
          this.counts.alertErrors++;
          this.log.error(
            { err: (err as Error).message, stage: alert.stage, errorType: alert.errorType },
            'alert not published',
          );
        }
      }
      const r = outcome.report;
      this.counts.windows++;
      this.latest = { report: r, alerts: published };
      this.log.info(
        {
          windowStart: new Date(r.windowStart).toISOString(),
          spans: r.totalSpans,
          errors: r.errorCount,
          k: r.k,
          candidates: outcome.candidates.length,
          alerts: published.length,
        },
        'window closed',
      );
      for (const alert of published) {
        this.alerts.push(alert);
        if (this.alerts.length > (this.options.keepAlerts ?? 100)) this.alerts.shift();
        this.emit('alert', alert);
      }
      this.emit('window', this.latest);
    }
  }

  /** The latest closed window: its error spans with cluster ids, its clusters and its alerts. */
  latestWindow(): WindowView | undefined {
    return this.latest;
  }

  /** Alerts published by this process, oldest first. */
  recentAlerts(): readonly Alert[] {
    return this.alerts;
  }

  stats(): AnalyticsStats {
    const s = this.sink?.stats;
    return {
      ...this.counts,
      lateSpans: this.engine.windows.lateSpans,
      alertsPublished: s?.published ?? 0,
      alertsSuppressed: s?.suppressed ?? 0,
      webhookDelivered: s?.webhookDelivered ?? 0,
      webhookFailed: s?.webhookFailed ?? 0,
    };
  }

  /** Stops reading; windows still open are not judged (their spans are incomplete). */
  async stop(): Promise<void> {
    if (this.idleTimer) clearInterval(this.idleTimer);
    await this.consumer?.disconnect();
    await this.work;
    await this.sink?.drain();
    await this.producer?.disconnect();
    if (this.ownsRedis) this.redis.disconnect();
  }
}
