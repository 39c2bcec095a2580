import type { RedlineConfig } from '../infra/config/schema.ts';
import type { Logger } from '../infra/log.ts';
import type { SchemaName } from '../schemas/registry.ts';
import type { LogicalTopic } from './topics.ts';
import type { StageCore } from './verdict.ts';

/**
 * What a stage hands the shared stage runner (pipeline/runner.ts): its topics, record types and
 * pure core. Everything else (batching, transactions, DLQ, tracing, metrics, shutdown,
 * back-pressure) is the runner's job, never the stage's.
 */
export interface StageDefinition<In = unknown, Out = unknown> {
  name: string;
  input: LogicalTopic;
  inputType: SchemaName;
  /** Where passing records go, unless `deliver` takes them. */
  output: LogicalTopic;
  outputType: SchemaName;
  /**
   * For a stage whose passing records leave Kafka (enqueue → BullMQ): called with a batch's
   * passing outputs before its transaction commits. It must be idempotent (a failure aborts the
   * transaction and the batch is delivered again).
   */
  deliver?(outputs: Out[], headers: Array<Record<string, string>>): Promise<void>;
  core: StageCore<In, Out>;
  /** Released when the runner stops (file watchers, ONNX sessions, Redis connections). */
  close?(): Promise<void>;
}

export interface StageDeps {
  config: RedlineConfig;
  logger: Logger;
}

/** Each stage folder's `stage.ts` default-exports one of these. */
export type StageFactory = (deps: StageDeps) => Promise<StageDefinition>;
