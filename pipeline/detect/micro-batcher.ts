/**
 * Collects single requests into batches: a batch is sent when it holds `maxBatch` items or when
 * the oldest item has waited `maxWaitMs`, whichever comes first, so throughput grows with load
 * while a lone request waits at most `maxWaitMs`. Each caller gets its own result back.
 */
export interface MicroBatcherOptions {
  maxBatch: number;
  maxWaitMs: number;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export class MicroBatcher<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private timer: NodeJS.Timeout | null = null;
  /** Batches sent so far (for metrics and tests). */
  batches = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: MicroBatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.opts.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.maxWaitMs);
    });
  }

  /** Sends whatever is queued now (also used on shutdown). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.batches++;
      this.send(batch);
    }
  }

  private send(batch: Array<Pending<I, O>>): void {
    this.run(batch.map((p) => p.item)).then(
      (results) => {
        if (results.length !== batch.length) {
          const err = new Error(
            `batch function returned ${results.length} results for ${batch.length} items`,
          );
          for (const p of batch) p.reject(err);
          return;
        }
        for (const [i, p] of batch.entries()) p.resolve(results[i] as O);
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err);
      },
    );
  }
}
