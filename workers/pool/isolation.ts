import type { IsolationMode, ModelPoolConfig } from './config.ts';

// Which isolation a job runs under. A model may force a mode; otherwise the request's weight
// decides, as in the reference design (weight <= 10 in-process, above it in a sandbox).
export function isolationFor(
  model: ModelPoolConfig | undefined,
  requestWeight: number,
  sandbox: { weightThreshold: number; mode: 'thread' | 'process' },
): IsolationMode {
  if (model?.isolation) return model.isolation;
  return requestWeight > sandbox.weightThreshold ? sandbox.mode : 'inline';
}
