// Model backends behind one interface (types.ts); wrap them with workers/resilience before use.
export * from './config.ts';
export { createBackend } from './create.ts';
export { BackendError, type BackendErrorCode, isRetryable } from './errors.ts';
export { OnnxBackend } from './onnx.ts';
export { OpenAIBackend } from './openai.ts';
export { SimBackend, type SimConditions } from './sim.ts';
export { type SimControl, simControlSchema, writeSimControl } from './sim-control.ts';
export type { BackendRequest, BackendResponse, ModelBackend } from './types.ts';
