import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { environmentOverrides } from '../../infra/config/load.ts';
import { configSchema } from '../../infra/config/schema.ts';
import { STAGE_NAMES } from '../../pipeline/stages.ts';

// docker-compose.yml cannot run here (no Docker), so this keeps it honest: the services, their
// ports, memory limits, users and health checks, and every REDLINE_* variable against the config
// schema, so a renamed or mistyped setting fails here instead of being silently ignored.

const ROOT = join(import.meta.dirname, '..', '..');
const compose = YAML.parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as Compose;
const dockerfile = readFileSync(join(ROOT, 'infra', 'docker', 'Dockerfile'), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  user?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  mem_limit?: string;
  memswap_limit?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
}

const services = compose.services;
const REDLINE_IMAGE = 'redline:local';
const redlineServices = Object.entries(services).filter(([, s]) => s.image === REDLINE_IMAGE);
/** Started by `up` and kept running (not a one-shot, not behind a profile). */
const longRunning = Object.entries(services).filter(([, s]) => s.restart !== 'no' && !s.profiles);

/**
 * REDLINE_* variables that are not configuration (secrets and paths, read where they are used),
 * with the file that reads each: if that file stops reading it, the allowance goes too.
 */
const NOT_CONFIG: Record<string, string> = {
  REDLINE_CONFIG: 'infra/config/load.ts',
  REDLINE_LOG_LEVEL: 'infra/log.ts',
  REDLINE_DATA_DIR: 'infra/paths.ts',
  REDLINE_CACHE_DIR: 'infra/paths.ts',
  REDLINE_MODEL_KEY: 'infra/model-store/passphrase.ts',
  REDLINE_MODEL_KEY_FILE: 'infra/model-store/passphrase.ts',
};

function hostPorts(service: Service): Array<{ host: string; published: number; target: number }> {
  return (service.ports ?? []).map((p) => {
    const [host, published, target] = String(p).split(' ')[0]!.split(':');
    return { host: host!, published: Number(published), target: Number(target) };
  });
}

function redlineEnv(env: Service['environment'] = {}): Array<[string, string]> {
  return Object.entries(env)
    .filter(([k]) => k.startsWith('REDLINE_'))
    .map(([k, v]) => [k, String(v)]);
}

function dockerfileEnv(): Array<[string, string]> {
  const block = dockerfile.match(/^ENV ((?:.*\\\n)*.*)$/m)?.[1] ?? '';
  return [...block.matchAll(/(REDLINE_[A-Z0-9_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]);
}

describe('docker-compose.yml', () => {
  it('runs Kafka, Redis, Jaeger, the four stages, the workers, analytics and the dashboard', () => {
    for (const name of ['kafka', 'redis', 'jaeger', ...STAGE_NAMES, 'workers', 'analytics', 'dashboard']) {
      expect(services[name], name).toBeDefined();
    }
    expect(services.kafka!.image).toMatch(/^apache\/kafka:\d/);
    expect(services.kafka!.environment!.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.jaeger!.image).toMatch(/^jaegertracing\/all-in-one:\d/);
    expect(String(services.jaeger!.environment!.COLLECTOR_OTLP_ENABLED)).toBe('true');
    expect(services.redis!.image).toMatch(/^redis:\d/);
    for (const stage of STAGE_NAMES) expect(services[stage]!.command).toEqual(['stage', stage]);
    expect(services.workers!.command).toEqual(['workers']);
    expect(services.analytics!.command).toEqual(['analytics']);
    expect(services.dashboard!.command?.[0]).toBe('dashboard');
  });

  it('runs only redline commands that exist', () => {
    for (const [name, s] of redlineServices) {
      if (s.entrypoint) continue; // the one-shot init runs a shell line of `redline` commands
      const command = s.command![0]!;
      if (command.startsWith('--')) continue;
      const file = join(ROOT, 'bin', 'commands', `${command === 'stage' ? 'stage' : command}.ts`);
      expect(existsSync(file), `${name}: bin/commands/${command}.ts`).toBe(true);
      expect(readFileSync(file, 'utf8'), name).toContain(`.command('${command}')`);
    }
  });

  it('builds the redline services from infra/docker/Dockerfile', () => {
    expect(redlineServices.length).toBeGreaterThanOrEqual(8);
    for (const [name, s] of redlineServices) {
      expect(s.build, name).toEqual({ context: '.', dockerfile: 'infra/docker/Dockerfile' });
    }
    expect(dockerfile).toMatch(/^FROM node:20-slim/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    // --omit=dev is only right while tsx (which runs the sources) is a runtime dependency.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/redline\.js"\]/m);
  });

  it('caps every service at 2 GiB of memory with no swap', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.mem_limit, name).toBe('2g');
      expect(s.memswap_limit, name).toBe(s.mem_limit);
    }
  });

  it('runs every service as an unprivileged user', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.user, name).toBeDefined();
      expect(String(s.user).split(':')[0], name).not.toMatch(/^(root|0)$/);
    }
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a health check on every long-running service', () => {
    expect(longRunning.length).toBeGreaterThanOrEqual(10);
    for (const [name, s] of longRunning) {
      expect(s.healthcheck?.disable, name).not.toBe(true);
      expect(s.healthcheck?.test?.length, name).toBeGreaterThan(0);
    }
    // The stages' health check asks the port the stages serve /readyz on.
    const metricsPort = String(services.auth!.environment!.REDLINE_METRICS_PORT);
    for (const stage of STAGE_NAMES)
      expect(services[stage]!.healthcheck!.test!.join(' ')).toContain(`:${metricsPort}/readyz`);
    expect(services.workers!.healthcheck!.test!.join(' ')).toContain(`:${metricsPort}/healthz`);
  });

  it('publishes the expected ports on loopback only', () => {
    const published = (name: string) => hostPorts(services[name]!).map((p) => p.published);
    expect(published('kafka')).toContain(9092);
    expect(published('redis')).toContain(6379);
    expect(published('jaeger')).toEqual(expect.arrayContaining([16686, 4317, 4318]));
    expect(published('dashboard')).toContain(8787);
    for (const [name, s] of Object.entries(services)) {
      for (const p of hostPorts(s)) expect(p.host, `${name} ${p.published}`).toBe('127.0.0.1');
    }
    // The dashboard listens where its port mapping points, on every interface of its container.
    const args = services.dashboard!.command!;
    expect(args[args.indexOf('--port') + 1]).toBe(String(hostPorts(services.dashboard!)[0]!.target));
    expect(args[args.indexOf('--host') + 1]).toBe('0.0.0.0');
  });

  it('points the redline services at the Kafka, Redis and Jaeger of this file', () => {
    const kafkaEnv = services.kafka!.environment!;
    const internal = String(kafkaEnv.KAFKA_ADVERTISED_LISTENERS)
      .split(',')
      .find((l) => l.startsWith('INTERNAL://'))!
      .slice('INTERNAL://'.length);
    for (const [name, s] of redlineServices) {
      const env = s.environment!;
      expect(env.REDLINE_KAFKA_BROKERS, name).toBe(internal);
      const redis = new URL(String(env.REDLINE_REDIS_URL));
      expect(services[redis.hostname], name).toBeDefined();
      expect(services.redis!.healthcheck).toBeDefined();
      const otlp = new URL(String(env.OTEL_EXPORTER_OTLP_ENDPOINT));
      expect(otlp.hostname, name).toBe('jaeger');
      expect(otlp.port).toBe('4318');
      if (name !== 'init') {
        expect(s.depends_on?.kafka?.condition, name).toBe('service_healthy');
        expect(s.depends_on?.init?.condition, name).toBe('service_completed_successfully');
      }
    }
  });

  it('maps every REDLINE_* variable onto the config schema', () => {
    for (const [name, file] of Object.entries(NOT_CONFIG)) {
      expect(readFileSync(join(ROOT, file), 'utf8'), `${name} in ${file}`).toMatch(new RegExp(`${name}\\b`));
    }
    const sources: Array<[string, Array<[string, string]>]> = [
      ...Object.entries(services).map(([name, s]): [string, Array<[string, string]>] => [
        name,
        redlineEnv(s.environment),
      ]),
      ['Dockerfile', dockerfileEnv()],
    ];
    let checked = 0;
    for (const [where, vars] of sources) {
      const configVars = vars.filter(([k]) => !(k in NOT_CONFIG));
      for (const [name, value] of configVars) {
        const overrides = environmentOverrides({ [name]: value }) as Record<string, Record<string, unknown>>;
        const sections = Object.keys(overrides);
        expect(sections, `${where}: ${name} names no config section`).toHaveLength(1);
        const section = sections[0]!;
        const [key, expected] = Object.entries(overrides[section]!)[0]!;
        const parsed = configSchema.safeParse(overrides);
        expect(parsed.success, `${where}: ${name}=${value}: ${parsed.error?.message}`).toBe(true);
        // zod drops unknown keys silently: the value must come out where the variable put it.
        const actual = (parsed.data as unknown as Record<string, Record<string, unknown>>)[section]![key];
        expect(actual, `${where}: ${name} is not a setting (${section}.${key})`).toEqual(expected);
        checked++;
      }
      // A service's variables together make a valid config too.
      const all = environmentOverrides(Object.fromEntries(configVars));
      expect(configSchema.safeParse(all).success, where).toBe(true);
    }
    expect(checked).toBeGreaterThan(20);
  });
});
