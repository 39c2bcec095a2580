import type { SpanEvent } from '../schemas/types.ts';
import { KNOWN_STAGES, SPAN_ATTRIBUTES } from './span-attributes.ts';

// Error span → numeric features. Pure. The raw vector is in a fixed "comparison space" (one-hots
// are 0/1, the duration is log10(1 + ms), so a tenfold slow-down is one unit): centroids of
// different windows can be compared there. Clustering runs on the per-window standardised copy.

export const SPAN_KINDS = ['internal', 'server', 'client', 'producer', 'consumer'] as const;
/** The error type is hashed into this many one-hot columns (its vocabulary is open-ended). */
export const ERROR_TYPE_BUCKETS = 32;
const HTTP_CLASSES = 3; // none, 4xx, 5xx

const KIND_OFFSET = 0;
const STAGE_OFFSET = KIND_OFFSET + SPAN_KINDS.length;
const ERROR_OFFSET = STAGE_OFFSET + KNOWN_STAGES.length + 1; // + "other"
const HTTP_OFFSET = ERROR_OFFSET + ERROR_TYPE_BUCKETS;
const DURATION_OFFSET = HTTP_OFFSET + HTTP_CLASSES;
export const FEATURE_DIMENSIONS = DURATION_OFFSET + 1;

const STAGE_INDEX = new Map<string, number>(KNOWN_STAGES.map((s, i) => [s, i]));
const KIND_INDEX = new Map<string, number>(SPAN_KINDS.map((k, i) => [k, i]));

export function isErrorSpan(span: SpanEvent): boolean {
  return span.statusCode === 2;
}

export function stageOf(span: SpanEvent): string {
  return span.attributes[SPAN_ATTRIBUTES.stage] ?? 'unknown';
}

/** `error.type`, else the rejection reason code, else "unknown". */
export function errorTypeOf(span: SpanEvent): string {
  return (
    span.attributes[SPAN_ATTRIBUTES.errorType] ?? span.attributes[SPAN_ATTRIBUTES.reasonCode] ?? 'unknown'
  );
}

/** The identity an alert is about (and de-duplicated on): stage, span name, error type. */
export function signatureOf(span: SpanEvent): string {
  return `${stageOf(span)}|${span.name}|${errorTypeOf(span)}`;
}

// FNV-1a: a stable, dependency-free string hash for the hashing trick (no library needed for 6 lines).
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function httpClass(span: SpanEvent): number {
  const status = Number(span.attributes[SPAN_ATTRIBUTES.httpStatus]);
  if (status >= 500) return 2;
  if (status >= 400) return 1;
  return 0;
}

/** The raw (comparison-space) feature vector of one span. */
export function rawFeatures(span: SpanEvent): number[] {
  const v = new Array<number>(FEATURE_DIMENSIONS).fill(0);
  v[KIND_OFFSET + (KIND_INDEX.get(span.kind) ?? 0)] = 1;
  v[STAGE_OFFSET + (STAGE_INDEX.get(stageOf(span)) ?? KNOWN_STAGES.length)] = 1;
  v[ERROR_OFFSET + (fnv1a(errorTypeOf(span)) % ERROR_TYPE_BUCKETS)] = 1;
  v[HTTP_OFFSET + httpClass(span)] = 1;
  v[DURATION_OFFSET] = Math.log10(1 + Math.max(0, span.durationMs));
  return v;
}

export interface Standardised {
  points: number[][];
  mean: number[];
  std: number[];
}

/** z-scores per column; a constant column becomes 0 (it cannot separate anything). */
export function standardise(rows: readonly number[][]): Standardised {
  const dims = rows[0]?.length ?? 0;
  const mean = new Array<number>(dims).fill(0);
  const std = new Array<number>(dims).fill(0);
  if (rows.length === 0) return { points: [], mean, std };
  for (const row of rows) for (let j = 0; j < dims; j++) mean[j]! += row[j]!;
  for (let j = 0; j < dims; j++) mean[j]! /= rows.length;
  for (const row of rows) for (let j = 0; j < dims; j++) std[j]! += (row[j]! - mean[j]!) ** 2;
  for (let j = 0; j < dims; j++) std[j] = Math.sqrt(std[j]! / rows.length);
  const points = rows.map((row) => row.map((x, j) => (std[j]! > 1e-12 ? (x - mean[j]!) / std[j]! : 0)));
  return { points, mean, std };
}

export function euclidean(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}
