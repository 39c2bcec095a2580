import { type BackendConfig, createBackend } from '../backends/index.ts';
import type { ResilienceConfig } from './config.ts';
import { GuardedBackend } from './guarded-backend.ts';

// Timeouts, retries and a circuit breaker per model around every backend call.
export type {
  AttemptListener,
  AttemptOutcome,
  BreakerListener,
  BreakerState,
  BreakerStateChange,
} from './breaker-state.ts';
export { type ResilienceConfig, resilienceConfigSchema } from './config.ts';
export { GuardedBackend } from './guarded-backend.ts';

/** The backend for `model` from its config, behind the resilience policies (one breaker each). */
export function createGuardedBackend(
  backends: Record<string, BackendConfig>,
  resilience: ResilienceConfig,
  model: string,
  env: NodeJS.ProcessEnv = process.env,
): GuardedBackend {
  return new GuardedBackend(createBackend(backends[model], model, env), model, resilience);
}
