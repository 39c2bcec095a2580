import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

// Run-time control of simulated backends across processes (the demo's brown-out switch): a small
// JSON file that every SimBackend configured with `controlFile` re-reads when it changes. A file
// rather than Redis because sandboxed backends (worker threads, child processes) can read a file
// and have no Redis connection. Writes are atomic (rename), so a reader never sees half a file.

export const simControlSchema = z
  .object({
    brownOut: z.boolean().optional(),
    errorRate: z.number().min(0).max(1).optional(),
    medianMs: z.number().nonnegative().optional(),
    p99Ms: z.number().nonnegative().optional(),
  })
  .strict();

export type SimControl = z.infer<typeof simControlSchema>;

export function writeSimControl(path: string, control: SimControl): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(simControlSchema.parse(control)));
  renameSync(tmp, path);
}

/** Re-reads the control file at most every `intervalMs`, and only when its mtime changed. */
export class SimControlWatcher {
  readonly #path: string;
  readonly #intervalMs: number;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #version = '';

  constructor(path: string, intervalMs = 250) {
    this.#path = path;
    this.#intervalMs = intervalMs;
  }

  /** The new control when the file changed since the last look (`{}` once it is removed), else null. */
  poll(now = performance.now()): SimControl | null {
    if (now - this.#checkedAt < this.#intervalMs) return null;
    this.#checkedAt = now;
    let version = 'absent';
    try {
      const st = statSync(this.#path);
      version = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // absent: back to the configured conditions
    }
    if (version === this.#version) return null;
    this.#version = version;
    if (version === 'absent') return {};
    try {
      return simControlSchema.parse(JSON.parse(readFileSync(this.#path, 'utf8')));
    } catch {
      return null; // a malformed file changes nothing; the next change is read again
    }
  }
}
