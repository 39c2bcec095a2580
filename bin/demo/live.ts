import type { Outcome } from '../../pipeline/sdk/outcomes.ts';

// The demo's live counters: one status line, rewritten in place on a terminal, printed every few
// seconds in a pipe.

export interface LiveCounts {
  sent: number;
  planned: number;
  results: number;
  quarantined: number;
  rejected: Map<string, number>;
  preemptions: number;
  alerts: number;
  phase: string;
}

export function countOutcome(counts: LiveCounts, outcome: Outcome, previous: Outcome | undefined): void {
  if (previous?.kind === 'quarantined') counts.quarantined--;
  if (outcome.kind === 'result') counts.results++;
  else if (outcome.kind === 'quarantined') counts.quarantined++;
  else counts.rejected.set(outcome.rejection.code, (counts.rejected.get(outcome.rejection.code) ?? 0) + 1);
}

export function statusLine(c: LiveCounts, elapsedS: number): string {
  const rejected = [...c.rejected.values()].reduce((a, b) => a + b, 0);
  const top = [...c.rejected]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return `[${elapsedS.toFixed(0).padStart(3)}s ${c.phase}] in ${c.sent}/${c.planned}  results ${c.results}  rejected ${rejected}${top ? ` (${top})` : ''}  quarantined ${c.quarantined}  preemptions ${c.preemptions}  alerts ${c.alerts}`;
}

export class LiveDisplay {
  private lastPlain = 0;
  constructor(private readonly tty: boolean) {}

  update(line: string, now: number): void {
    if (this.tty) {
      const width = process.stdout.columns ?? 160;
      process.stdout.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
    } else if (now - this.lastPlain >= 5_000) {
      this.lastPlain = now;
      console.log(line);
    }
  }

  /** Prints a line of its own above the status line. */
  note(text: string): void {
    if (this.tty) process.stdout.write('\r\x1b[2K');
    console.log(text);
  }

  done(line: string): void {
    if (this.tty) process.stdout.write('\r\x1b[2K');
    console.log(line);
  }
}
