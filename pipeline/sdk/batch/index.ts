// Batch jobs: a file of prompts in, one outcome line per input line out, resumable.
export { collectorGroupId } from './collector.ts';
export { newBatchId, readBatchInput } from './input.ts';
export { batchRequestId, type ParsedLine, parseBatchLine, splitInputLines } from './lines.ts';
export { assembleOutput, type BatchLine, type BatchSummary, describeSummary, summarise } from './output.ts';
export {
  type BatchProgress,
  type BatchRunOptions,
  type BatchRunResult,
  DEFAULT_WAIT_TIMEOUT_MS,
  type NewBatch,
  resumeBatch,
  submitBatch,
} from './run.ts';
export { type BatchStatus, batchStatus } from './status.ts';
export type { BatchCounts, BatchMeta } from './store.ts';
