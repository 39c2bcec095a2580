import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { RedlineError } from '../../pipeline/errors.ts';
import { configSchema, type RedlineConfig } from './schema.ts';

/** Files looked for, in order, when no path is given (and REDLINE_CONFIG is unset). */
export const DEFAULT_CONFIG_FILES = ['redline.config.yaml', 'redline.config.yml', 'redline.config.json'];

/**
 * Environment overrides: REDLINE_<SECTION>_<KEY> in upper snake case sets config[section][key]
 * (e.g. REDLINE_RUNNER_MAX_BATCH_SIZE=200). Values are parsed as JSON when they parse, else kept as
 * strings. REDLINE_KAFKA_BROKERS takes a comma-separated list.
 */
export function environmentOverrides(
  env: NodeJS.ProcessEnv,
  shape = configSchema.shape,
): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('REDLINE_') || raw === undefined) continue;
    const rest = name.slice('REDLINE_'.length).toLowerCase();
    for (const section of Object.keys(shape)) {
      const prefix = `${section.toLowerCase()}_`;
      if (!rest.startsWith(prefix)) continue;
      const key = rest.slice(prefix.length).replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      out[section] ??= {};
      out[section][key] = parseEnvValue(section, key, raw);
    }
  }
  return out;
}

function parseEnvValue(section: string, key: string, raw: string): unknown {
  if (section === 'kafka' && key === 'brokers')
    return raw
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export interface LoadOptions {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Reads the file (if any), applies REDLINE_* overrides, validates. Throws CONFIG_INVALID with the path and reason. */
export function loadConfig(options: LoadOptions = {}): RedlineConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.REDLINE_CONFIG;
  const file = explicit
    ? resolve(cwd, explicit)
    : DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  let fromFile: Record<string, unknown> = {};
  if (file) {
    if (!existsSync(file)) throw new RedlineError('CONFIG_NOT_FOUND', `config file not found: ${file}`);
    try {
      const text = readFileSync(file, 'utf8');
      fromFile = (file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text)) ?? {};
    } catch (err) {
      throw new RedlineError('CONFIG_INVALID', `${file}: cannot parse: ${(err as Error).message}`);
    }
  }
  const merged = deepMerge(fromFile, environmentOverrides(env));
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new RedlineError('CONFIG_INVALID', `${file ?? 'configuration'}: ${formatIssues(parsed.error)}`);
  }
  return parsed.data;
}

const SECRET_KEY = /(secret|password|passphrase|token|key)$/i;

/** The effective configuration with anything secret-looking masked, for `redline config print`. */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  if (SECRET_KEY.test(key) && typeof value === 'string' && value.length > 0) return '****';
  if (typeof value === 'string') return value.replace(/(\/\/[^:/@]+:)[^@]+@/, '$1****@');
  return value;
}
