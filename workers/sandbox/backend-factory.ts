import { type BackendConfig, createBackend } from '../backends/index.ts';
import type { ModelBackend } from '../backends/types.ts';

// What a production sandbox loads (SandboxBackendSpec.module): the model's configured backend,
// built inside the sandbox. Timeouts, retries and the breaker stay on the host, around the sandbox.
export function createSandboxModelBackend(options: {
  backend: BackendConfig | undefined;
  model: string;
}): ModelBackend {
  return createBackend(options.backend, options.model);
}
