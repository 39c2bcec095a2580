import { describe, expect, it } from 'vitest';
import { TumblingWindows } from '../../../analytics/windows.ts';
import type { SpanEvent } from '../../../schemas/types.ts';

function span(endMs: number, error = false, traceId = 't'): SpanEvent {
  return {
    traceId,
    spanId: `s${endMs}`,
    parentSpanId: null,
    name: 'stage.auth',
    kind: 'consumer',
    service: 'x',
    startTimeMs: endMs - 1,
    durationMs: 1,
    statusCode: error ? 2 : 1,
    statusMessage: null,
    attributes: { 'redline.stage': 'auth', 'error.type': 'E' },
  };
}

const options = { windowMs: 1_000, allowedLatenessMs: 100 };

describe('TumblingWindows (event time)', () => {
  it('assigns spans by end time and closes a window once the watermark passes its end', () => {
    const w = new TumblingWindows(options);
    w.add(span(10, true));
    w.add(span(990));
    w.add(span(1_050, true));
    expect(w.closeReady()).toEqual([]); // watermark 950
    w.add(span(1_100));
    const [closed] = w.closeReady(); // watermark 1000
    expect(closed).toMatchObject({ start: 0, end: 1_000, totalSpans: 2 });
    expect(closed!.errorSpans).toHaveLength(1);
    expect(closed!.features).toHaveLength(1);
    expect(w.openWindows).toBe(1);
  });

  it('counts and drops spans that arrive for a closed window', () => {
    const w = new TumblingWindows(options);
    w.add(span(500));
    w.add(span(2_500));
    expect(w.closeReady().map((c) => c.start)).toEqual([0]);
    w.add(span(600, true));
    expect(w.lateSpans).toBe(1);
  });

  it('waits for the slowest partition, including an assigned one that has delivered nothing', () => {
    const w = new TumblingWindows({ ...options, idlePartitionMs: 5_000 });
    w.assign([0, 1], 0);
    w.add(span(500), 0, 10);
    w.add(span(5_000), 0, 20);
    expect(w.closeReady(30)).toEqual([]); // partition 1 is silent but not yet idle
    w.add(span(1_500), 1, 40);
    expect(w.closeReady(50).map((c) => c.start)).toEqual([0]);
    // Partition 1 goes quiet (last seen at 40): still holding the watermark at 1 400 before 5 040…
    w.add(span(5_200), 0, 5_030);
    expect(w.closeReady(5_030)).toEqual([]);
    // …and no longer after idlePartitionMs: partition 0 alone sets it (5 200 − 100 = 5 100).
    expect(w.closeReady(5_040).map((c) => c.start)).toEqual([1_000]);
  });

  it('closes everything on closeAll, oldest first, with error spans in a canonical order', () => {
    const w = new TumblingWindows(options);
    w.add(span(2_500, true, 'b'));
    w.add(span(300, true, 'z'));
    w.add(span(200, true, 'y'));
    w.add(span(200, true, 'a'));
    const closed = w.closeAll();
    expect(closed.map((c) => c.start)).toEqual([0, 2_000]);
    expect(closed[0]!.errorSpans.map((s) => s.traceId)).toEqual(['a', 'y', 'z']);
    expect(w.openWindows).toBe(0);
  });
});
