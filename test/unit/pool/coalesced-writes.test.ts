import { describe, expect, it } from 'vitest';
import { CoalescedWrites } from '../../../workers/pool/coalesced-writes.ts';

interface Flush {
  upserts: Record<string, number>;
  removals: string[];
}

function recorder(fail: () => boolean = () => false) {
  const flushes: Flush[] = [];
  const writes = new CoalescedWrites<number>(async (upserts, removals) => {
    flushes.push({ upserts: Object.fromEntries(upserts), removals: [...removals] });
    if (fail()) throw new Error('redis away');
  }, 5);
  return { flushes, writes };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('CoalescedWrites', () => {
  it('writes everything recorded in one tick with one flush, the latest write per key winning', async () => {
    const { flushes, writes } = recorder();
    writes.set('a', 1);
    writes.set('b', 2);
    const removed = writes.delete('a'); // started and finished before the flush: nothing to write
    writes.set('c', 3);
    writes.set('c', 4);
    await removed;
    expect(flushes).toEqual([{ upserts: { b: 2, c: 4 }, removals: ['a'] }]);
  });

  it('never lets an older removal overwrite a newer start of the same job', async () => {
    const { flushes, writes } = recorder();
    void writes.delete('a');
    writes.set('a', 7); // preempted, then started again in this process
    await writes.flush();
    expect(flushes).toEqual([{ upserts: { a: 7 }, removals: [] }]);
  });

  it('resolves a removal only once its flush is done, and keeps writes apart by the least gap', async () => {
    const { flushes, writes } = recorder();
    writes.set('a', 1);
    await tick(1);
    expect(flushes).toHaveLength(1);
    let done = false;
    const removed = writes.delete('a').then(() => {
      done = true;
    });
    await tick(1);
    expect(done).toBe(false); // the second flush waits out the 5 ms gap
    await removed;
    expect(flushes).toHaveLength(2);
    expect(flushes[1]).toEqual({ upserts: {}, removals: ['a'] });
  });

  it('rejects the waiters of a failed flush and tries its writes again unless superseded', async () => {
    let failing = true;
    const { flushes, writes } = recorder(() => failing);
    writes.set('a', 1);
    const removed = writes.delete('b');
    await expect(removed).rejects.toThrow('redis away');
    writes.set('b', 9); // supersedes the failed removal of b
    failing = false;
    await writes.flush();
    expect(flushes.at(-1)).toEqual({ upserts: { a: 1, b: 9 }, removals: [] });
  });

  it('flush() on close writes what is pending without waiting for the gap', async () => {
    const { flushes, writes } = recorder();
    writes.set('a', 1);
    await writes.flush();
    writes.set('b', 2);
    await writes.flush();
    expect(flushes.map((f) => Object.keys(f.upserts))).toEqual([['a'], ['b']]);
  });
});
