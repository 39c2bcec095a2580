import type { InferenceRequest, Tier } from '../../../schemas/types.ts';
import { isRedlineError } from '../../errors.ts';
import { toInferenceRequest } from '../request-schema.ts';

// Turns the lines of a batch input file into inference requests. Pure: no Kafka, no Redis, the
// clock is passed in. A line that is not a valid request becomes an `invalid` outcome instead.

/** What every request of one batch shares (from the command line and the batch's state). */
export interface BatchDefaults {
  batchId: string;
  tenant: string;
  /** Used when a line names no model. */
  model?: string | null;
  tier: Tier;
  token?: string | null;
}

export type ParsedLine =
  | { kind: 'request'; index: number; request: InferenceRequest }
  | { kind: 'invalid'; index: number; requestId: string; detail: string };

/** The fields a JSON line may carry; everything else (ids, tenant, token) comes from the batch. */
const LINE_FIELDS = new Set(['prompt', 'text', 'templateId', 'slots', 'model', 'parameters']);

/** Deterministic, so a re-send after a crash is recognisable downstream (job id, result marker). */
export function batchRequestId(batchId: string, index: number): string {
  return `${batchId}-${index}`;
}

/**
 * The lines of an input file: split on LF or CRLF; the newline that ends the last line does not
 * start another one. Blank lines are kept (they become `invalid` outcomes), so output line N is
 * always input line N.
 */
export function splitInputLines(content: string): string[] {
  if (content === '') return [];
  const lines = content.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A line's own fields: a JSON object, or the whole line as a plain-text prompt. */
function lineFields(line: string): Record<string, unknown> | string {
  const trimmed = line.trim();
  if (trimmed === '') return 'empty line';
  if (!trimmed.startsWith('{')) return { prompt: line };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return 'not valid JSON (a line starting with "{" must be a JSON object)';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !LINE_FIELDS.has(k));
  if (unknown.length > 0) {
    return `unknown field(s) ${unknown.join(', ')}; a line may give ${[...LINE_FIELDS].join(', ')}`;
  }
  if ('prompt' in fields && 'text' in fields) return 'give prompt or text, not both';
  if ('text' in fields) {
    const { text, ...rest } = fields;
    return { ...rest, prompt: text };
  }
  return fields;
}

/** Parses and validates line `index` (0-based) with `toInferenceRequest`. */
export function parseBatchLine(
  line: string,
  index: number,
  defaults: BatchDefaults,
  now: number,
): ParsedLine {
  const requestId = batchRequestId(defaults.batchId, index);
  const fields = lineFields(line);
  if (typeof fields === 'string') return { kind: 'invalid', index, requestId, detail: fields };
  try {
    const request = toInferenceRequest(
      {
        ...fields,
        model: fields.model ?? defaults.model ?? undefined,
        requestId,
        tenant: defaults.tenant,
        priorityHint: defaults.tier,
        batchId: defaults.batchId,
        batchIndex: index,
        token: defaults.token ?? null,
      },
      now,
    );
    return { kind: 'request', index, request };
  } catch (err) {
    if (isRedlineError(err, 'INVALID_REQUEST'))
      return { kind: 'invalid', index, requestId, detail: err.message };
    throw err;
  }
}
