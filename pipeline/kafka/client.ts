import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';

// The one module that knows the Kafka client library. Everything else asks it for a client, so
// KafkaJS (unmaintained, but speaking Kafka 4.1's protocol) can be swapped in one place.

const kafkaLog = createLogger('kafkajs');

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

// KafkaJS logs expected, retried conditions at ERROR (e.g. CONCURRENT_TRANSACTIONS right after a
// commit on Kafka 4, a group rebalance); they are downgraded so real errors stay visible.
const RETRIED =
  /CONCURRENT_TRANSACTIONS|concurrent operation on the same transaction|rebalancing|not the correct coordinator|coordinator is loading|NOT_COORDINATOR|not the leader for that topic-partition/i;
// Transactional producers keep bounded retries on purpose: a send that gives up aborts the
// transaction, so exactly-once holds and KafkaJS's warning about it is noise. The partitioner
// notice concerns migrations from KafkaJS 1.x, which redline never was.
const BENIGN = /Limiting retries for the idempotent producer|switched default partitioner/;

export * from 'kafkajs';
export type { Kafka };

export function createKafka(
  config: Pick<RedlineConfig, 'kafka'>,
  overrides: Partial<KafkaConfig> = {},
): Kafka {
  return new Kafka({
    clientId: config.kafka.clientId,
    brokers: config.kafka.brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...extra } = log;
        if (BENIGN.test(message)) return;
        const lvl = RETRIED.test(`${message} ${String(extra.error ?? '')}`)
          ? 'debug'
          : (LEVELS[level] ?? 'info');
        kafkaLog[lvl]({ ...extra, namespace: log.namespace }, message);
      },
    ...overrides,
  });
}

/** True when the brokers answer a metadata request within the timeout. Logs nothing. */
export async function probeKafka(brokers: string[], timeoutMs = 2_000): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'redline-probe',
    brokers,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
