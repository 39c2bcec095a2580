import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentOverrides, loadConfig, maskSecrets } from '../../../infra/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'redline-config-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('configuration', () => {
  it('has the reference design defaults with no file', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.metrics.host).toBe('127.0.0.1');
    expect(config.topics.prefix).toBe('redline.');
  });

  it('reads YAML and JSON files, and REDLINE_* overrides win', () => {
    const yaml = file('a.yaml', 'topics:\n  prefix: "x."\n  partitions: 3\nrunner:\n  maxBatchSize: 100\n');
    const config = loadConfig({
      file: yaml,
      env: { REDLINE_RUNNER_MAX_BATCH_SIZE: '42', REDLINE_KAFKA_BROKERS: 'h1:1, h2:2' },
    });
    expect(config.topics).toMatchObject({ prefix: 'x.', partitions: 3 });
    expect(config.runner.maxBatchSize).toBe(42);
    expect(config.kafka.brokers).toEqual(['h1:1', 'h2:2']);
    const json = file('b.json', JSON.stringify({ topics: { partitions: 2 } }));
    expect(loadConfig({ file: json, env: {} }).topics.partitions).toBe(2);
  });

  it('fails at start-up with the path and the reason', () => {
    const bad = file('bad.yaml', 'runner:\n  maxBatchSize: -1\nunknownSection: 1\n');
    expect(() => loadConfig({ file: bad, env: {} })).toThrow(
      /bad\.yaml: runner\.maxBatchSize: .*|unrecognized/,
    );
    try {
      loadConfig({ file: bad, env: {} });
    } catch (err) {
      expect((err as { code: string }).code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toContain('runner.maxBatchSize');
    }
    expect(() => loadConfig({ file: file('broken.yaml', 'a: [1,'), env: {} })).toThrow(/cannot parse/);
    expect(() => loadConfig({ file: join(dir, 'missing.yaml'), env: {} })).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }),
    );
  });

  it('maps environment names onto sections and camel-cased keys', () => {
    expect(environmentOverrides({ REDLINE_METRICS_PORT: '9464', REDLINE_OTHER: 'x', PATH: '/bin' })).toEqual({
      metrics: { port: 9464 },
    });
  });

  it('masks secrets when printing', () => {
    expect(maskSecrets({ a: { secret: 'hunter2', apiKey: 'k', url: 'redis://user:pw@host:6379' } })).toEqual({
      a: { secret: '****', apiKey: '****', url: 'redis://user:****@host:6379' },
    });
  });
});
