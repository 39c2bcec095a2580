import type { Detector } from './detector.ts';
import { MicroBatcher, type MicroBatcherOptions } from './micro-batcher.ts';

/**
 * Wraps a Detector so that concurrent callers (the runner scores up to `coreConcurrency` records
 * at once, one text each) share session runs: each text joins the current micro-batch.
 */
export function createBatchedDetector(
  inner: Detector,
  opts: MicroBatcherOptions,
): Detector & { batches(): number } {
  const batcher = new MicroBatcher<string, number>((texts) => inner.score(texts), opts);
  return {
    version: inner.version,
    score: (texts) => Promise.all(texts.map((t) => batcher.submit(t))),
    batches: () => batcher.batches,
    async close() {
      batcher.flush();
      await inner.close();
    },
  };
}
