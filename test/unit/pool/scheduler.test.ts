import { EventEmitter } from 'node:events';
import type { QueueEvents } from 'bullmq';
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

function scheduler(registry: MemoryRegistry, events: EventEmitter) {
  const cancels: string[] = [];
  const promoted: Array<[string, number]> = [];
  const s = new PreemptionScheduler({
    queue: 'q',
    registry: registry as unknown as PoolRegistry,
    events: events as unknown as QueueEvents,
    policy: { maxPreemptions: 3, maxWaitMs: 30_000 },
    lookahead: 16,
    scanIntervalMs: 40,
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
  it('cancels the planned victim once when a waiting event arrives', async () => {
    const registry = new MemoryRegistry();
    registry.running = [run('a', 10), run('b', 100)];
    const events = new EventEmitter();
    const { s, cancels } = scheduler(registry, events);
    await s.start(true);
    registry.waiting = [{ id: 'u', priority: 1 }];
    events.emit('waiting', { jobId: 'u' });
    events.emit('waiting', { jobId: 'u' });
    await tick(100);
    // Later scans see the claim (a cancel in flight) and do not cancel again.
    expect(cancels).toEqual(['b']);
  });

  it('coalesces a burst of arrivals into few scans', async () => {
    const registry = new MemoryRegistry();
    const events = new EventEmitter();
    const { s } = scheduler(registry, events);
    await s.start(true);
    for (let i = 0; i < 500; i++) events.emit('waiting', { jobId: String(i) });
    await tick(20);
    expect(registry.snapshots).toBeGreaterThan(0);
    expect(registry.snapshots).toBeLessThan(10);
  });

  it('promotes jobs that waited longer than T, and only when scanning', async () => {
    const registry = new MemoryRegistry();
    registry.heads = [
      { id: 'old', priority: 100, eligibleAt: now - 31_000 },
      { id: 'young', priority: 100, eligibleAt: now - 10 },
    ];
    const { s, promoted } = scheduler(registry, new EventEmitter());
    await s.start(true);
    await tick(100);
    expect(promoted[0]).toEqual(['old', 1]);
    expect(promoted.some(([id]) => id === 'young')).toBe(false);

    const passive = new MemoryRegistry();
    passive.heads = registry.heads;
    const other = scheduler(passive, new EventEmitter());
    await other.s.start(false);
    await tick(100);
    expect(other.promoted).toEqual([]);
    expect(passive.snapshots).toBe(0);
  });
});
