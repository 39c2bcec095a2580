import type { SpanEvent } from '../schemas/types.ts';
import type { ClosedWindow } from './analyze-window.ts';
import { isErrorSpan, rawFeatures } from './features.ts';

// Tumbling windows in event time (a span's end timestamp). Pure: no clock, no Kafka.
//
// The watermark is the smallest "newest end time" over the partitions that have delivered spans,
// minus the allowed lateness (partitions progress independently, so the slowest decides). A
// window closes once the watermark passes its end. Spans for an already closed window are
// counted as late and dropped.

export interface WindowerOptions {
  windowMs: number;
  allowedLatenessMs: number;
}

interface OpenWindow {
  start: number;
  totalSpans: number;
  errorSpans: SpanEvent[];
  features: number[][];
}

export class TumblingWindows {
  private readonly open = new Map<number, OpenWindow>();
  private readonly newestByPartition = new Map<number, number>();
  /** Windows ending at or before this are closed. */
  private closedUpTo = Number.NEGATIVE_INFINITY;
  lateSpans = 0;

  constructor(private readonly options: WindowerOptions) {}

  windowStartOf(timeMs: number): number {
    return Math.floor(timeMs / this.options.windowMs) * this.options.windowMs;
  }

  /** Adds one span read from `partition`. Call `closeReady()` after a batch. */
  add(span: SpanEvent, partition = 0): void {
    const end = span.startTimeMs + span.durationMs;
    const newest = this.newestByPartition.get(partition);
    if (newest === undefined || end > newest) this.newestByPartition.set(partition, end);
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

  watermark(): number {
    if (this.newestByPartition.size === 0) return Number.NEGATIVE_INFINITY;
    return Math.min(...this.newestByPartition.values()) - this.options.allowedLatenessMs;
  }

  /** Windows the watermark has passed, oldest first. */
  closeReady(): ClosedWindow[] {
    return this.closeUpTo(this.watermark());
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
    return ready.map((w) => ({ ...w, end: w.start + this.options.windowMs }));
  }
}
