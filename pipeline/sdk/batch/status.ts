// What `redline batch status` shows: the batch, its counts, and its outcomes so far.
import type { RedlineConfig } from '../../../infra/config/schema.ts';
import { type BatchSummary, summarise } from './output.ts';
import { type BatchCounts, type BatchMeta, withBatchStore } from './store.ts';

export interface BatchStatus {
  meta: BatchMeta;
  counts: BatchCounts;
  /** Counts by status and code of the outcomes so far. */
  summary: BatchSummary;
  /** The first (at most 20) sent lines still without an outcome: in flight, or lost (DLQ). */
  waitingFor: number[];
}

export async function batchStatus(config: RedlineConfig, batchId: string): Promise<BatchStatus> {
  return withBatchStore(config, batchId, async (store) => {
    const meta = await store.meta();
    const [counts, outcomes] = await Promise.all([store.counts(), store.outcomes()]);
    const waitingFor: number[] = [];
    for (let i = 0; i < counts.sent && waitingFor.length < 20; i++) if (!outcomes.has(i)) waitingFor.push(i);
    return { meta, counts, summary: summarise(meta.total, outcomes.values()), waitingFor };
  });
}
