import type { Redis } from 'ioredis';
import type { RedlineConfig } from '../infra/config/schema.ts';
import type { Producer } from '../pipeline/kafka/client.ts';
import { topicName } from '../pipeline/topics.ts';
import { codecFor } from '../schemas/codec.ts';
import type { Alert } from '../schemas/types.ts';
import type { AnalyticsConfig } from './config.ts';
import { postAlert } from './webhook.ts';

// Where a raised alert goes: a cool-down in Redis (SET NX PX on stage|span|errorType, so every
// analytics replica and restart agrees that it was already sent), then Avro on `<prefix>alerts`,
// then the optional webhook.

export interface AlertSinkStats {
  published: number;
  suppressed: number;
  webhookDelivered: number;
  webhookFailed: number;
}

export function cooldownKey(prefix: string, alert: Pick<Alert, 'stage' | 'spanName' | 'errorType'>): string {
  return `${prefix}cooldown:${alert.stage}|${alert.spanName}|${alert.errorType}`;
}

export class AlertSink {
  readonly stats: AlertSinkStats = { published: 0, suppressed: 0, webhookDelivered: 0, webhookFailed: 0 };
  private readonly webhooks = new Set<Promise<void>>();
  private readonly topic: string;

  constructor(
    private readonly redis: Redis,
    private readonly producer: Producer,
    private readonly config: Pick<RedlineConfig, 'topics'> & { analytics: AnalyticsConfig },
  ) {
    this.topic = topicName(config, 'alerts');
  }

  /** Publishes the alert unless its signature is cooling down. Returns whether it was published. */
  async raise(alert: Alert): Promise<boolean> {
    const a = this.config.analytics;
    const acquired = await this.redis.set(
      cooldownKey(a.redisKeyPrefix, alert),
      alert.alertId,
      'PX',
      a.cooldownMs,
      'NX',
    );
    if (acquired !== 'OK') {
      this.stats.suppressed++;
      return false;
    }
    await this.producer.send({
      topic: this.topic,
      messages: [
        {
          key: `${alert.stage}|${alert.spanName}|${alert.errorType}`,
          value: codecFor('Alert').encode(alert),
        },
      ],
    });
    this.stats.published++;
    if (a.webhookUrl) {
      const delivery = postAlert(alert, {
        url: a.webhookUrl,
        retries: a.webhookRetries,
        initialDelayMs: a.webhookInitialDelayMs,
        timeoutMs: a.webhookTimeoutMs,
      }).then(
        () => {
          this.stats.webhookDelivered++;
        },
        () => {
          this.stats.webhookFailed++;
        },
      );
      this.webhooks.add(delivery);
      void delivery.finally(() => this.webhooks.delete(delivery));
    }
    return true;
  }

  /** Waits for webhook deliveries still retrying (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.webhooks]);
  }
}
