import { describe, expect, it } from 'vitest';
import {
  agedForPromotion,
  isPreemptable,
  planPreemptions,
  type RunningJob,
  waitingBeyondFreeSlots,
} from '../../../workers/pool/preemption.ts';

const policy = { maxPreemptions: 3, maxWaitMs: 30_000 };
const now = 1_000_000;

function running(id: string, priority: number, extra: Partial<RunningJob> = {}): RunningJob {
  return {
    id,
    priority,
    preemptions: 0,
    enqueuedAt: now - 1_000,
    startedAt: now - 500,
    cancelling: false,
    ...extra,
  };
}

describe('planPreemptions', () => {
  it('preempts the least urgent running job when every slot is busy', () => {
    const plan = planPreemptions({
      running: [running('a', 10), running('b', 100), running('c', 10)],
      waiting: [{ id: 'u', priority: 1 }],
      capacity: 3,
      policy,
      now,
    });
    expect(plan).toEqual([{ victim: 'b', for: 'u' }]);
  });

  it('preempts nothing while a slot is free', () => {
    const plan = planPreemptions({
      running: [running('a', 100)],
      waiting: [{ id: 'u', priority: 1 }],
      capacity: 2,
      policy,
      now,
    });
    expect(plan).toEqual([]);
  });

  it('never preempts for an equally or less urgent job', () => {
    const snapshot = { running: [running('a', 10), running('b', 10)], capacity: 2, policy, now };
    expect(planPreemptions({ ...snapshot, waiting: [{ id: 'w', priority: 10 }] })).toEqual([]);
    expect(planPreemptions({ ...snapshot, waiting: [{ id: 'w', priority: 100 }] })).toEqual([]);
  });

  it('among equals picks the most recently started victim', () => {
    const plan = planPreemptions({
      running: [running('old', 100, { startedAt: now - 900 }), running('new', 100, { startedAt: now - 10 })],
      waiting: [{ id: 'u', priority: 1 }],
      capacity: 2,
      policy,
      now,
    });
    expect(plan).toEqual([{ victim: 'new', for: 'u' }]);
  });

  it('matches several urgent jobs to distinct victims, least urgent first', () => {
    const plan = planPreemptions({
      running: [running('a', 100), running('b', 10), running('c', 1)],
      waiting: [
        { id: 'u1', priority: 1 },
        { id: 'u2', priority: 1 },
        { id: 'u3', priority: 1 },
      ],
      capacity: 3,
      policy,
      now,
    });
    expect(plan).toEqual([
      { victim: 'a', for: 'u1' },
      { victim: 'b', for: 'u2' },
    ]);
  });

  it('counts slots being freed by cancels in flight and never re-cancels them', () => {
    const plan = planPreemptions({
      running: [running('a', 100, { cancelling: true }), running('b', 100)],
      waiting: [{ id: 'u1', priority: 1 }],
      capacity: 2,
      policy,
      now,
    });
    expect(plan).toEqual([]);
    const plan2 = planPreemptions({
      running: [running('a', 100, { cancelling: true }), running('b', 100)],
      waiting: [
        { id: 'u1', priority: 1 },
        { id: 'u2', priority: 1 },
      ],
      capacity: 2,
      policy,
      now,
    });
    expect(plan2).toEqual([{ victim: 'b', for: 'u2' }]);
  });

  it('ageing: a job preempted K times or waiting longer than T is not preemptable', () => {
    const tired = running('tired', 100, { preemptions: 3 });
    const old = running('old', 100, { enqueuedAt: now - 30_001 });
    expect(isPreemptable(tired, policy, now)).toBe(false);
    expect(isPreemptable(old, policy, now)).toBe(false);
    expect(isPreemptable(running('fresh', 100, { preemptions: 2 }), policy, now)).toBe(true);
    const plan = planPreemptions({
      running: [tired, old],
      waiting: [{ id: 'u', priority: 1 }],
      capacity: 2,
      policy,
      now,
    });
    expect(plan).toEqual([]);
  });

  it('treats priority 0 (no priority) as the most urgent, as BullMQ does', () => {
    const plan = planPreemptions({
      running: [running('a', 1)],
      waiting: [{ id: 'p0', priority: 0 }],
      capacity: 1,
      policy,
      now,
    });
    expect(plan).toEqual([{ victim: 'a', for: 'p0' }]);
  });

  it('over capacity (a process just left) still preempts only for jobs beyond the slots', () => {
    const plan = planPreemptions({
      running: [running('a', 100), running('b', 100), running('c', 100)],
      waiting: [{ id: 'u', priority: 1 }],
      capacity: 2,
      policy,
      now,
    });
    expect(plan).toEqual([{ victim: 'a', for: 'u' }]);
  });
});

describe('waitingBeyondFreeSlots', () => {
  it('is true only when jobs wait while a slot looks free', () => {
    expect(
      waitingBeyondFreeSlots({
        running: [running('a', 1)],
        waiting: [{ id: 'w', priority: 1 }],
        capacity: 2,
      }),
    ).toBe(true);
    expect(waitingBeyondFreeSlots({ running: [running('a', 1)], waiting: [], capacity: 2 })).toBe(false);
    expect(
      waitingBeyondFreeSlots({
        running: [running('a', 1)],
        waiting: [{ id: 'w', priority: 1 }],
        capacity: 1,
      }),
    ).toBe(false);
  });
});

describe('agedForPromotion', () => {
  it('promotes jobs waiting longer than T that are not already most urgent', () => {
    const waiting = [
      { id: 'old-batch', priority: 100, eligibleAt: now - 31_000 },
      { id: 'young-batch', priority: 100, eligibleAt: now - 1_000 },
      { id: 'old-top', priority: 1, eligibleAt: now - 60_000 },
      { id: 'old-standard', priority: 10, eligibleAt: now - 30_001 },
    ];
    expect(agedForPromotion(waiting, 1, 30_000, now)).toEqual(['old-batch', 'old-standard']);
  });
});
