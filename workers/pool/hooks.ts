// The pool's seams to its neighbours, each optional so the pool runs before they exist: the
// adaptive limit's health feed (workers/limits/health.ts `recordOutcome`) and the output scanner
// (workers/output-scan/). bin/commands/workers.ts wires the real ones.

/** Feeds the adaptive per-model limit: every backend call's outcome and latency. */
export type OutcomeRecorder = (
  model: string,
  outcome: { ok: boolean; latencyMs: number; breakerOpen?: boolean },
) => unknown;

export interface OutputScanContext {
  requestId: string;
  tenant: string;
  model: string;
}

export type OutputScanVerdict =
  | { action: 'pass'; output: string; redactions: string[] }
  | { action: 'block'; code: string; detail: string };

/** Scans a model's output before anything is published (redacts or blocks, per policy). */
export type OutputScanner = (
  output: string,
  ctx: OutputScanContext,
) => OutputScanVerdict | Promise<OutputScanVerdict>;

/** Scans one streamed output: `push` returns what is safe to keep, `finish` the rest (throws on a block). */
export interface StreamScanner {
  push(chunk: string): string;
  finish(): string;
  readonly redactions: readonly string[];
}

export interface PoolHooks {
  recordOutcome?: OutcomeRecorder;
  scanOutput?: OutputScanner;
  /** A scanner per streamed output (models with `streamOutput`). */
  streamScanner?: () => StreamScanner;
}
