// The interface every model backend implements (openai, onnx, sim). The worker pool only knows
// this; timeouts, retries and the circuit breaker wrap it from outside (workers/resilience).

export interface BackendRequest {
  requestId: string;
  model: string;
  prompt: string;
  maxTokens: number;
  temperature: number;
  /** Aborted on timeout or preemption; a backend must stop work and reject promptly. */
  signal: AbortSignal;
}

export interface BackendResponse {
  text: string;
  /** HTTP status or equivalent, for spans and the adaptive limit. */
  status: number;
}

export interface ModelBackend {
  readonly name: string;
  complete(request: BackendRequest): Promise<BackendResponse>;
  /** Streamed output, chunk by chunk, where the backend supports it. */
  stream?(request: BackendRequest): AsyncIterable<string>;
  close?(): Promise<void>;
}
