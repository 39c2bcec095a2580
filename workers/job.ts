import type { RedlineConfig } from '../infra/config/schema.ts';
import type { InferenceParameters, Tier } from '../schemas/types.ts';

/** What the enqueue stage puts in a BullMQ job (job id = request id) and a worker reads. */
export interface InferenceJobData {
  requestId: string;
  tenant: string;
  model: string;
  /** The rendered prompt from sanitize; held in Redis only while the job lives. */
  prompt: string;
  parameters: InferenceParameters;
  tier: Tier;
  batchId: string | null;
  batchIndex: number | null;
  /** Epoch ms when the request entered the queue (for queue-wait timing and ageing). */
  enqueuedAt: number;
  /** W3C trace context carried from the Kafka headers (traceparent, tracestate). */
  trace: Record<string, string>;
  /** How often this job has been preempted so far (ageing stops preemption after K). */
  preemptions: number;
}

/** BullMQ priorities: lower runs first. Interactive before standard before batch. */
export const TIER_PRIORITY: Record<Tier, number> = { interactive: 1, standard: 10, batch: 100 };

/** One BullMQ queue per model. */
export function queueName(config: Pick<RedlineConfig, 'topics'>, model: string): string {
  return `${config.topics.prefix}model.${model}`.replace(/[^a-zA-Z0-9._-]/g, '_');
}
