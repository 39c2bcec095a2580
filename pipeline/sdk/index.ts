// The producer SDK, exported as `redline/sdk`.
export { loadConfig } from '../../infra/config/load.ts';
export type { RedlineConfig } from '../../infra/config/schema.ts';
export type { InferenceRequest, InferenceResult, Rejection } from '../../schemas/types.ts';
export { isRedlineError, RedlineError } from '../errors.ts';
export * from './batch/index.ts';
export { RedlineClient } from './client.ts';
export { followOutcomes, type Outcome } from './outcomes.ts';
export { type SubmitRequest, submitRequestSchema, toInferenceRequest } from './request-schema.ts';
