import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../infra/log.ts';
import { PolicyStore } from '../../../pipeline/auth/policy-store.ts';
import { POLICY_YAML, tempDir } from './helpers.ts';

const principal = {
  subject: 's',
  tenant: 'acme',
  roles: ['analyst'],
  tier: 'standard' as const,
  weightLevel: null,
};
const chat = (weight: number) => ({ tenant: 'acme', model: 'llama-3', operation: 'chat', weight });

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('policy-test', sink), lines };
}

describe('policy hot reload', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('picks up a changed file without restart, refuses a broken one and keeps the old policy', async () => {
    const { dir, cleanup } = tempDir();
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, POLICY_YAML);
    const { logger, lines } = capturingLogger();
    const store = new PolicyStore(file, logger, { debounceMs: 20 });
    cleanups.push(() => store.close(), cleanup);
    const results: boolean[] = [];
    store.onReload((r) => results.push(r.ok));

    expect(store.current().decide(principal, null, chat(12)).ok).toBe(false);

    // Widen the band to 20: the next decision sees it.
    writeFileSync(file, POLICY_YAML.replace('max_weight: 10', 'max_weight: 20'));
    await vi.waitFor(() => expect(results).toContain(true), { timeout: 5_000, interval: 20 });
    expect(store.current().decide(principal, null, chat(12)).ok).toBe(true);
    const widened = store.current().digest;

    // A broken file is refused with a log line; the widened policy stays in force.
    writeFileSync(file, 'version: 1\nrules: [{ model: "llama-*", role: analyst');
    await vi.waitFor(() => expect(results).toContain(false), { timeout: 5_000, interval: 20 });
    expect(store.current().digest).toBe(widened);
    expect(store.current().decide(principal, null, chat(12)).ok).toBe(true);
    const refused = lines.find((l) => l.msg === 'policy reload refused; the previous policy stays in force');
    expect(refused).toMatchObject({ level: 50, code: 'POLICY_INVALID', kept: widened });

    // A valid but schema-breaking file (inverted band) is refused too.
    results.length = 0;
    writeFileSync(file, POLICY_YAML.replace('min_weight: 1', 'min_weight: 99'));
    await vi.waitFor(() => expect(results).toContain(false), { timeout: 5_000, interval: 20 });
    expect(store.current().digest).toBe(widened);

    // Fixing the file is picked up again.
    results.length = 0;
    writeFileSync(file, POLICY_YAML);
    await vi.waitFor(() => expect(results).toContain(true), { timeout: 5_000, interval: 20 });
    expect(store.current().decide(principal, null, chat(12)).ok).toBe(false);
  });

  it('a broken file at start-up is an error, not a silent deny-all', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'version: 1\nrules: {');
    expect(() => new PolicyStore(file, undefined, { watch: false })).toThrow(/POLICY|cannot parse/);
  });
});
