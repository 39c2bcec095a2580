import type { SpanEvent } from '../schemas/types.ts';
import type { ClosedWindow } from './analyze-window.ts';
import { isErrorSpan, rawFeatures } from './features.ts';

// Tumbling windows in event time (a span's end timestamp). Pure: no clock, no Kafka.
//
// The watermark is the smallest "newest end time" over the input partitions, minus the allowed
// lateness (partitions progress independently, so the slowest decides). A partition that is
// assigned but has delivered nothing holds the watermark back; one that has delivered nothing for
// `idlePartitionMs` (wall clock, passed in) stops counting, so an empty partition cannot stall
// every window. A window closes once the watermark passes its end. Spans for an already closed
// window are counted as late and dropped.

export interface WindowerOptions {
  windowMs: number;
  allowedLatenessMs: number;
  /** Default: never idle (pure use without a clock). */
  idlePartitionMs?: number;
}

interface PartitionProgress {
  /** Newest span end time seen (−∞ until the partition delivers). */
  newest: number;
  /** Wall-clock time it last delivered (or was assigned). */
  lastSeen: number;
}

interface OpenWindow {
  start: number;
  totalSpans: number;
  errorSpans: SpanEvent[];
  features: number[][];
}

export class TumblingWindows {
  private readonly open = new Map<number, OpenWindow>();
  private readonly partitions = new Map<number, PartitionProgress>();
  /** Windows ending at or before this are closed. */
  private closedUpTo = Number.NEGATIVE_INFINITY;
  lateSpans = 0;

  constructor(private readonly options: WindowerOptions) {}

  windowStartOf(timeMs: number): number {
    return Math.floor(timeMs / this.options.windowMs) * this.options.windowMs;
  }

  /** The partitions this reader now owns (a consumer group assignment). */
  assign(partitions: readonly number[], nowMs = 0): void {
    for (const p of [...this.partitions.keys()]) if (!partitions.includes(p)) this.partitions.delete(p);
    for (const p of partitions) {
      if (!this.partitions.has(p))
        this.partitions.set(p, { newest: Number.NEGATIVE_INFINITY, lastSeen: nowMs });
    }
  }

  /** Adds one span read from `partition`. Call `closeReady()` after a batch. */
  add(span: SpanEvent, partition = 0, nowMs = 0): void {
    const end = span.startTimeMs + span.durationMs;
    const progress = this.partitions.get(partition);
    if (!progress) this.partitions.set(partition, { newest: end, lastSeen: nowMs });
    else {
      if (end > progress.newest) progress.newest = end;
      progress.lastSeen = nowMs;
    }
    const start = this.windowStartOf(end);
    if (start + this.options.windowMs <= this.closedUpTo) {
      this.lateSpans++;
      return;
    }
    let w = this.open.get(start);
    if (!w) {
      w = { start, totalSpans: 0, errorSpans: [], features: [] };
      this.open.set(start, w);
    }
    w.totalSpans++;
    if (isErrorSpan(span)) {
      w.errorSpans.push(span);
      w.features.push(rawFeatures(span));
    }
  }

  watermark(nowMs = 0): number {
    const idleMs = this.options.idlePartitionMs ?? Number.POSITIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (const p of this.partitions.values()) {
      if (nowMs - p.lastSeen >= idleMs) continue;
      min = Math.min(min, p.newest);
    }
    return Number.isFinite(min) ? min - this.options.allowedLatenessMs : Number.NEGATIVE_INFINITY;
  }

  /** Windows the watermark has passed, oldest first. */
  closeReady(nowMs = 0): ClosedWindow[] {
    return this.closeUpTo(this.watermark(nowMs));
  }

  /** Every open window (idle input, shutdown). */
  closeAll(): ClosedWindow[] {
    return this.closeUpTo(Number.POSITIVE_INFINITY);
  }

  get openWindows(): number {
    return this.open.size;
  }

  private closeUpTo(limit: number): ClosedWindow[] {
    const ready = [...this.open.values()]
      .filter((w) => w.start + this.options.windowMs <= limit)
      .sort((a, b) => a.start - b.start);
    for (const w of ready) {
      this.open.delete(w.start);
      this.closedUpTo = Math.max(this.closedUpTo, w.start + this.options.windowMs);
    }
    return ready.map((w) => canonicalOrder({ ...w, end: w.start + this.options.windowMs }));
  }
}

function endOf(span: SpanEvent): number {
  return span.startTimeMs + span.durationMs;
}

/**
 * Error spans in a fixed order (end time, trace id, span id), whatever order the partitions
 * delivered them in: the seeded sampling and k-means then give the same clusters for the same spans.
 */
export function canonicalOrder(window: ClosedWindow): ClosedWindow {
  const order = window.errorSpans.map((_, i) => i);
  order.sort((i, j) => {
    const a = window.errorSpans[i]!;
    const b = window.errorSpans[j]!;
    return (
      endOf(a) - endOf(b) ||
      (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0) ||
      (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0)
    );
  });
  return {
    ...window,
    errorSpans: order.map((i) => window.errorSpans[i]!),
    features: order.map((i) => window.features[i]!),
  };
}
