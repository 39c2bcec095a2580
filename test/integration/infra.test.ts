import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config/load.ts';
import { servicesStatus, servicesUp } from '../../infra/services.ts';

// `redline infra`: with REDLINE_KAFKA_BROKERS / REDLINE_REDIS_URL set, nothing is started, an
// unreachable service is a coded error, and a password in a URL never reaches a message.

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('infra up with configured clusters', () => {
  it('starts nothing for an unreachable REDLINE_REDIS_URL and masks its password', async () => {
    process.env.REDLINE_REDIS_URL = 'redis://user:hunter2@127.0.0.1:6399';
    const lines: string[] = [];
    const err = await servicesUp(loadConfig(), (l) => lines.push(l)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INFRA_REDIS' });
    expect(String((err as Error).message)).not.toContain('hunter2');
    expect(String((err as Error).message)).toContain('nothing was started');
    expect(lines.join('\n')).not.toMatch(/starting redis-server/);
  });

  it('starts nothing for an unreachable REDLINE_KAFKA_BROKERS', async () => {
    process.env.REDLINE_KAFKA_BROKERS = '127.0.0.1:9';
    const err = await servicesUp(loadConfig(), () => {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INFRA_KAFKA' });
  });

  it('reports the running services as up', async () => {
    const status = await servicesStatus(loadConfig());
    expect(status).toMatchObject({ kafka: true, redis: true });
    expect(status.lines.join('\n')).toMatch(/kafka\s+up/);
  });
});
