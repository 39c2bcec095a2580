import cliProgress from 'cli-progress';
import type { BatchProgress } from './run.ts';

// How a batch shows its progress: two bars (sent, done) on a terminal, a plain line every few
// seconds otherwise (logs and CI output stay readable).

export interface ProgressView {
  update(p: BatchProgress): void;
  stop(): void;
}

export function progressView(stream: NodeJS.WriteStream = process.stderr, everyMs = 5_000): ProgressView {
  if (stream.isTTY) {
    const multi = new cliProgress.MultiBar(
      {
        format: ' {label} [{bar}] {value}/{total} {percentage}%',
        hideCursor: true,
        clearOnComplete: false,
        stream,
      },
      cliProgress.Presets.shades_classic,
    );
    let bars: { sent: cliProgress.SingleBar; done: cliProgress.SingleBar } | undefined;
    return {
      update(p) {
        bars ??= {
          sent: multi.create(p.total, 0, { label: 'sent' }),
          done: multi.create(p.total, 0, { label: 'done' }),
        };
        bars.sent.update(p.sent);
        bars.done.update(p.done);
      },
      stop: () => multi.stop(),
    };
  }
  let lastAt = 0;
  let last: BatchProgress | undefined;
  const print = (p: BatchProgress) =>
    stream.write(`batch ${p.batchId}: sent ${p.sent}/${p.total}, done ${p.done}/${p.total}\n`);
  return {
    update(p) {
      last = p;
      if (Date.now() - lastAt >= everyMs) {
        lastAt = Date.now();
        print(p);
      }
    },
    stop() {
      if (last) print(last);
    },
  };
}
