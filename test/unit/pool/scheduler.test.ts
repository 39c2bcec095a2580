import { afterEach, describe, expect, it } from 'vitest';
import type { RunningJob, WaitingJob, WaitingSince } from '../../../workers/pool/preemption.ts';
import type { PoolRegistry, QueueSnapshot } from '../../../workers/pool/registry.ts';
import { PreemptionScheduler } from '../../../workers/pool/scheduler.ts';

// The scheduler's shell over an in-memory registry: what it reads, claims, cancels and promotes.

class MemoryRegistry {
  running: RunningJob[] = [];
  waiting: WaitingJob[] = [];
  heads: WaitingSince[] = [];
  capacity = 2;
  claimed = new Set<string>();
  snapshots = 0;
  async heartbeat() {}
  async leave() {}
  async mightPreempt() {
    return true;
  }
  async snapshot(): Promise<QueueSnapshot> {
    this.snapshots++;
    const running = this.running.map((r) => ({ ...r, cancelling: this.claimed.has(r.id) }));
    return { running, waiting: this.waiting, capacity: this.capacity };
  }
  async claimCancel(id: string) {
    if (this.claimed.has(id)) return false;
    this.claimed.add(id);
    return true;
  }
  async classHeads() {
    return this.heads;
  }
}

const now = 1_000_000;
const run = (id: string, priority: number): RunningJob => ({
  id,
  priority,
  preemptions: 0,
  enqueuedAt: now - 100,
  startedAt: now - 50,
  cancelling: false,
});

const started: PreemptionScheduler[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});

/** Whether the process's slots are all busy, as the pool would report it. */
class Slots {
  saturated = false;
}

function scheduler(registry: MemoryRegistry, slots = new Slots(), scanIntervalMs = 40) {
  const cancels: string[] = [];
  const promoted: Array<[string, number]> = [];
  const s = new PreemptionScheduler({
    queue: 'q',
    registry: registry as unknown as PoolRegistry,
    saturated: () => slots.saturated,
    policy: { maxPreemptions: 3, maxWaitMs: 30_000 },
    lookahead: 16,
    scanIntervalMs,
    busyPollMs: 5,
    minScanGapMs: 5,
    heartbeatTtlMs: 10_000,
    localSlots: 2,
    cancel: async (id) => {
      cancels.push(id);
    },
    topPriority: 1,
    agedClasses: [10, 100],
    promote: async (id, p) => {
      promoted.push([id, p]);
    },
    now: () => now,
  });
  started.push(s);
  return { s, cancels, promoted };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PreemptionScheduler', () => {
  it('cancels the planned victim once, polling while every slot is busy', async () => {
    const registry = new MemoryRegistry();
    registry.running = [run('a', 10), run('b', 100)];
    const slots = new Slots();
    slots.saturated = true;
    const { s, cancels } = scheduler(registry, slots, 60_000);
    await s.start(true);
    registry.waiting = [{ id: 'u', priority: 1 }];
    await tick(100);
    // Later scans see the claim (a cancel in flight) and do not cancel again.
    expect(cancels).toEqual(['b']);
  });

  it('polls only while saturated: with a slot free, only the slow interval scans', async () => {
    const registry = new MemoryRegistry();
    const slots = new Slots();
    const { s } = scheduler(registry, slots, 60_000);
    await s.start(true);
    const atStart = registry.snapshots; // the slow interval's first scan has not come yet
    await tick(60);
    expect(registry.snapshots).toBe(atStart);
    slots.saturated = true;
    await tick(60);
    expect(registry.snapshots).toBeGreaterThan(atStart + 2);
    expect(registry.snapshots).toBeLessThan(atStart + 20); // about one per 5 ms poll, not a busy loop
  });

  it('promotes jobs that waited longer than T, and only when scanning', async () => {
    const registry = new MemoryRegistry();
    registry.heads = [
      { id: 'old', priority: 100, eligibleAt: now - 31_000 },
      { id: 'young', priority: 100, eligibleAt: now - 10 },
    ];
    const { s, promoted } = scheduler(registry);
    await s.start(true);
    await tick(100);
    expect(promoted[0]).toEqual(['old', 1]);
    expect(promoted.some(([id]) => id === 'young')).toBe(false);

    const passive = new MemoryRegistry();
    passive.heads = registry.heads;
    const other = scheduler(passive);
    await other.s.start(false);
    await tick(100);
    expect(other.promoted).toEqual([]);
    expect(passive.snapshots).toBe(0);
  });
});
