import type { JobsOptions, Queue } from 'bullmq';
import type { InferenceJobData } from '../../workers/job.ts';
import type { EnqueuePlan } from './core.ts';

// Turns a batch of enqueue plans into BullMQ `addBulk` calls, one per model queue. The job id is
// the request id, so a batch delivered again (an aborted Kafka transaction) adds nothing twice.

/** The W3C trace context headers copied into the job. */
export const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

export const JOB_NAME = 'inference';

export interface BulkJob {
  name: string;
  data: InferenceJobData;
  opts: JobsOptions;
}

export function pickTrace(headers: Record<string, string> | undefined): Record<string, string> {
  const trace: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    const value = headers?.[name];
    if (value) trace[name] = value;
  }
  return trace;
}

/** Groups the plans by queue, in order, with the job options BullMQ needs. */
export function bulkJobsByQueue(
  plans: readonly EnqueuePlan[],
  headers: ReadonlyArray<Record<string, string>>,
  keepJobsSeconds: number,
): Map<string, BulkJob[]> {
  const byQueue = new Map<string, BulkJob[]>();
  plans.forEach((plan, i) => {
    const job: BulkJob = {
      name: JOB_NAME,
      data: { ...plan.data, trace: pickTrace(headers[i]) },
      opts: {
        jobId: plan.jobId,
        priority: plan.priority,
        ...(plan.delayMs > 0 ? { delay: plan.delayMs } : {}),
        // Kept for a while after they end: within that time the same request id is not run again.
        removeOnComplete: { age: keepJobsSeconds },
        removeOnFail: { age: keepJobsSeconds },
      },
    };
    const list = byQueue.get(plan.queue);
    if (list) list.push(job);
    else byQueue.set(plan.queue, [job]);
  });
  return byQueue;
}

/** Adds every job; throws (so the runner aborts the Kafka transaction) if any queue refuses. */
export async function addJobs(
  queueFor: (name: string) => Queue,
  plans: readonly EnqueuePlan[],
  headers: ReadonlyArray<Record<string, string>>,
  keepJobsSeconds: number,
): Promise<void> {
  const byQueue = bulkJobsByQueue(plans, headers, keepJobsSeconds);
  await Promise.all([...byQueue].map(([name, jobs]) => queueFor(name).addBulk(jobs)));
}
