import { RedlineError } from '../pipeline/errors.ts';
import { probeKafka } from '../pipeline/kafka/client.ts';
import { maskSecrets } from './config/load.ts';
import type { RedlineConfig } from './config/schema.ts';
import { BROKER_LOG, brokerDown, brokerPid, brokerUp } from './kafka/broker.ts';
import { probeRedis, redisDown, redisPid, redisUp } from './redis.ts';

/** A Redis URL fit for a message: any password masked. */
const shown = (url: string) => String(maskSecrets(url));

// `redline infra up|down|status`: the real services the pipeline needs, started without Docker.
// When REDLINE_KAFKA_BROKERS / REDLINE_REDIS_URL point at existing clusters nothing is started.

const LOCAL_BROKER = /^(127\.0\.0\.1|localhost):(\d+)$/;

export async function servicesUp(config: RedlineConfig, log: (line: string) => void): Promise<void> {
  const brokers = config.kafka.brokers;
  const local = brokers.length === 1 ? LOCAL_BROKER.exec(brokers[0]!) : null;
  if (process.env.REDLINE_KAFKA_BROKERS || !local) {
    if (!(await probeKafka(brokers, 5_000))) {
      throw new RedlineError(
        'INFRA_KAFKA',
        `kafka: ${brokers.join(',')} does not answer (configured, so nothing was started)`,
      );
    }
    log(`kafka: using ${brokers.join(',')}`);
  } else {
    const res = await brokerUp({ port: Number(local[2]), log });
    log(`kafka: ${res.started ? 'started' : 'already running'} at ${res.address}`);
  }
  if (process.env.REDLINE_REDIS_URL) {
    if (!(await probeRedis(config.redis.url))) {
      throw new RedlineError(
        'INFRA_REDIS',
        `redis: ${shown(config.redis.url)} does not answer (configured, so nothing was started)`,
      );
    }
    log(`redis: using ${shown(config.redis.url)}`);
    return;
  }
  const redis = await redisUp(config.redis.url, log);
  log(`redis: ${redis.started ? 'started' : 'already running'} at ${shown(config.redis.url)}`);
}

export async function servicesDown(log: (line: string) => void): Promise<void> {
  log((await brokerDown()) ? 'kafka: stopped' : 'kafka: not started by redline (nothing to stop)');
  log((await redisDown()) ? 'redis: stopped' : 'redis: not started by redline (left running)');
}

export async function servicesStatus(
  config: RedlineConfig,
): Promise<{ kafka: boolean; redis: boolean; lines: string[] }> {
  const kafka = await probeKafka(config.kafka.brokers);
  const redis = await probeRedis(config.redis.url);
  const kpid = brokerPid();
  const rpid = redisPid();
  return {
    kafka,
    redis,
    lines: [
      `kafka  ${kafka ? 'up  ' : 'DOWN'}  ${config.kafka.brokers.join(',')}${kpid ? `  (started by redline, pid ${kpid}, log ${BROKER_LOG})` : ''}`,
      `redis  ${redis ? 'up  ' : 'DOWN'}  ${shown(config.redis.url)}${rpid ? `  (started by redline, pid ${rpid})` : ''}`,
    ],
  };
}
