import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { installModelHealth, ModelHealth, recordOutcome } from '../limits/health.ts';
import { OutputScanner } from '../output-scan/index.ts';
import { createGuardedBackend, GuardedBackend } from '../resilience/index.ts';
import { SandboxedBackend } from '../sandbox/sandboxed-backend.ts';
import type { PoolHooks } from './hooks.ts';
import type { BackendProvider } from './pool.ts';

// The production wiring of the pool's seams: configured backends behind the resilience policies
// (in-process, or a sandbox running the backend with the policies around it on the host), the
// adaptive limit's health feed, and the output scanner.

const SANDBOX_FACTORY = fileURLToPath(new URL('../sandbox/backend-factory.ts', import.meta.url));

export function productionBackends(config: RedlineConfig): BackendProvider {
  const { backends, resilience, sandbox } = config.workers;
  return {
    inline: (model) => createGuardedBackend(backends, resilience, model),
    sandboxed: (model, mode) =>
      new GuardedBackend(
        new SandboxedBackend(
          mode,
          {
            module: SANDBOX_FACTORY,
            exportName: 'createSandboxModelBackend',
            options: { backend: backends[model], model },
          },
          sandbox,
        ),
        model,
        resilience,
      ),
  };
}

export function productionHooks(config: RedlineConfig, redis: Redis): PoolHooks {
  installModelHealth(new ModelHealth(redis, config.workers.limits, { logger: createLogger('limits') }));
  const scanner = new OutputScanner(config.workers.outputScan);
  return {
    recordOutcome: (model, outcome) => recordOutcome(model, outcome),
    streamScanner: () => scanner.stream(),
    scanOutput: (output) => {
      try {
        const { text, redactions } = scanner.scan(output);
        return { action: 'pass', output: text, redactions };
      } catch (err) {
        const e = err as Error & { code?: string };
        if (e.code === 'OUTPUT_BLOCKED')
          return { action: 'block', code: 'OUTPUT_BLOCKED', detail: e.message };
        throw err;
      }
    },
  };
}
