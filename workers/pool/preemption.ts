// The preemption decision, kept pure: a snapshot of the running and waiting jobs of one model queue
// in, the running jobs to cancel out. The scheduler (scheduler.ts) reads the snapshot from Redis
// and acts on the plan; everything it decides is here, unit-tested.

export interface RunningJob {
  id: string;
  /** BullMQ priority: lower runs first; 0 (no priority) runs before every prioritised job. */
  priority: number;
  preemptions: number;
  enqueuedAt: number;
  startedAt: number;
  /** A cancel was already sent: its slot is about to free up, and it is not a victim again. */
  cancelling: boolean;
}

export interface WaitingJob {
  id: string;
  priority: number;
}

export interface PreemptionPolicy {
  /** Ageing: a job preempted this many times runs to the end. */
  maxPreemptions: number;
  /** Ageing: a job enqueued longer ago than this runs to the end. */
  maxWaitMs: number;
}

export interface Preemption {
  victim: string;
  /** The waiting job whose start the victim makes room for. */
  for: string;
}

export interface PreemptionSnapshot {
  running: readonly RunningJob[];
  /** Waiting jobs in the order BullMQ will start them (most urgent first). */
  waiting: readonly WaitingJob[];
  /** Slots across every live pool process of this queue. */
  capacity: number;
  policy: PreemptionPolicy;
  now: number;
}

/** Whether ageing still allows cancelling this running job. */
export function isPreemptable(job: RunningJob, policy: PreemptionPolicy, now: number): boolean {
  return (
    !job.cancelling && job.preemptions < policy.maxPreemptions && now - job.enqueuedAt <= policy.maxWaitMs
  );
}

/**
 * Which running jobs to cancel so that more urgent waiting jobs start now. The first waiting jobs
 * take the free slots (and those being freed by cancels in flight); each further waiting job takes
 * the slot of the least urgent preemptable running job that is strictly less urgent than it, the
 * most recently started one among equals (it has done the least work). Nothing is preempted while
 * a slot is free.
 */
export function planPreemptions(snapshot: PreemptionSnapshot): Preemption[] {
  const { running, waiting, capacity, policy, now } = snapshot;
  const occupied = running.filter((r) => !r.cancelling).length;
  let free = Math.max(0, capacity - occupied);
  const candidates = running
    .filter((r) => isPreemptable(r, policy, now))
    .sort((a, b) => b.priority - a.priority || b.startedAt - a.startedAt);
  const plan: Preemption[] = [];
  for (const w of waiting) {
    if (free > 0) {
      free--;
      continue;
    }
    const victim = candidates[0];
    // Later waiting jobs are no more urgent than this one, so none of them can preempt either.
    if (!victim || victim.priority <= w.priority) break;
    candidates.shift();
    plan.push({ victim: victim.id, for: w.id });
  }
  return plan;
}

/** Whether a scan left waiting jobs to slots it believed free (a start may be under way: look again soon). */
export function waitingBeyondFreeSlots(
  snapshot: Pick<PreemptionSnapshot, 'running' | 'waiting' | 'capacity'>,
) {
  const occupied = snapshot.running.filter((r) => !r.cancelling).length;
  return snapshot.waiting.length > 0 && occupied < snapshot.capacity;
}

export interface WaitingSince {
  id: string;
  priority: number;
  /** When the job became eligible to run (added, or its delay ran out). */
  eligibleAt: number;
}

/**
 * Ageing of waiting jobs: priorities alone let a flood of urgent work starve a batch job forever,
 * so a job waiting longer than T is promoted to the most urgent priority, ahead of the jobs already
 * there: it starts at the next free slot. Once promoted it is also no longer preempted by urgent
 * work (equal priority).
 */
export function agedForPromotion(
  waiting: readonly WaitingSince[],
  topPriority: number,
  maxWaitMs: number,
  now: number,
): string[] {
  return waiting.filter((w) => w.priority > topPriority && now - w.eligibleAt > maxWaitMs).map((w) => w.id);
}
