/**
 * One benchmark section. bench/run.ts imports every `bench/*.bench.ts`, runs its `run()`, prints
 * the rows and writes them all to bench/results/latest.json. Figures are ratios against a
 * baseline measured in the same run, never bare times (the machines are shared and noisy);
 * absolute figures may be printed beside them for context.
 */
export interface BenchRow {
  name: string;
  /** The measured figure of redline's part (e.g. ops/s). */
  value: number;
  unit: string;
  /** The baseline measured side by side in the same run, when there is one. */
  baseline?: { name: string; value: number };
  /** value / baseline.value (or the figure that the issue states as a goal). */
  ratio?: number;
  goal?: string;
  /** Whether the goal holds in this run. */
  met?: boolean;
  notes?: string;
}

export interface BenchSection {
  section: string;
  rows: BenchRow[];
}

export interface BenchModule {
  run(options: { quick: boolean }): Promise<BenchSection>;
}
