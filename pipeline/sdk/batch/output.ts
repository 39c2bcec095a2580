import type { ClearedRequest, InferenceResult, Rejection } from '../../../schemas/types.ts';
import { RedlineError } from '../../errors.ts';

// One output line per input line, and the summary. Pure: the store hands in what it holds.

export type BatchLineStatus = 'result' | 'rejected' | 'quarantined' | 'invalid';

/** One line of the output file (and the value kept per index in the batch's state). */
export interface BatchLine {
  index: number;
  requestId: string;
  status: BatchLineStatus;
  output?: string;
  code?: string;
  detail?: string;
  stage?: string;
}

export interface BatchSummary {
  total: number;
  byStatus: Record<BatchLineStatus, number>;
  /** Rejection, quarantine and validation codes with their counts. */
  byCode: Record<string, number>;
}

export function lineFromResult(result: InferenceResult, index: number): BatchLine {
  return { index, requestId: result.requestId, status: 'result', output: result.output };
}

export function lineFromRejection(rejection: Rejection, index: number): BatchLine {
  return {
    index,
    requestId: rejection.requestId,
    status: 'rejected',
    code: rejection.code,
    detail: rejection.detail,
    stage: rejection.stage,
  };
}

/** `reason` is the runner's `redline-reason` header of the quarantine record. */
export function lineFromQuarantine(
  held: ClearedRequest,
  index: number,
  reason: string | undefined,
): BatchLine {
  return {
    index,
    requestId: held.requestId,
    status: 'quarantined',
    code: reason ?? 'QUARANTINED',
    detail: `held for an operator's review (detector score ${held.detection.score.toFixed(3)})`,
  };
}

export function invalidLine(index: number, requestId: string, detail: string): BatchLine {
  return { index, requestId, status: 'invalid', code: 'INVALID_REQUEST', detail };
}

/**
 * The output file's lines in input order, exactly one per index 0..total-1. BATCH_INCOMPLETE
 * names the first missing indexes: the output is written only when every line has its outcome.
 */
export function assembleOutput(total: number, lines: ReadonlyMap<number, BatchLine>): string[] {
  const missing: number[] = [];
  const out: string[] = [];
  for (let i = 0; i < total; i++) {
    const line = lines.get(i);
    if (!line) missing.push(i);
    else out.push(JSON.stringify({ ...line, index: i }));
  }
  if (missing.length > 0) {
    throw new RedlineError(
      'BATCH_INCOMPLETE',
      `${missing.length} of ${total} lines have no outcome yet (first: ${missing.slice(0, 5).join(', ')})`,
    );
  }
  return out;
}

export function summarise(total: number, lines: Iterable<BatchLine>): BatchSummary {
  const byStatus: Record<BatchLineStatus, number> = { result: 0, rejected: 0, quarantined: 0, invalid: 0 };
  const byCode: Record<string, number> = {};
  for (const line of lines) {
    byStatus[line.status]++;
    if (line.code) byCode[line.code] = (byCode[line.code] ?? 0) + 1;
  }
  return { total, byStatus, byCode };
}

/** The summary as a few human-readable lines. */
export function describeSummary(summary: BatchSummary): string {
  const s = summary.byStatus;
  const codes = Object.entries(summary.byCode)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `  ${code.padEnd(24)} ${n}`);
  return [
    `outcomes: ${s.result} results, ${s.rejected} rejected, ${s.quarantined} quarantined, ${s.invalid} invalid (of ${summary.total} lines)`,
    ...(codes.length > 0 ? ['by code:', ...codes] : []),
  ].join('\n');
}
