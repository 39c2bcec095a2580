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
  output: LogicalTopic;
  outputType: SchemaName;
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
