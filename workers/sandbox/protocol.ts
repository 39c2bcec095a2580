// Messages between the pool (host) and one sandbox (a worker thread or a child process).

/** How a sandbox builds its backend: a module exporting a factory, and the factory's options. */
export interface SandboxBackendSpec {
  /** Absolute path or file URL of the module. */
  module: string;
  /** Name of the exported factory `(options) => ModelBackend | Promise<ModelBackend>`. */
  exportName: string;
  /** Structured-cloneable options for the factory. */
  options: unknown;
}

export interface CallRequest {
  requestId: string;
  model: string;
  prompt: string;
  maxTokens: number;
  temperature: number;
}

export type HostMessage =
  | { type: 'init'; spec: SandboxBackendSpec }
  | { type: 'call'; id: number; request: CallRequest }
  | { type: 'cancel'; id: number; reason: string };

export type SandboxMessage =
  | { type: 'ready' }
  | { type: 'init-failed'; message: string }
  | { type: 'done'; id: number; text: string; status: number }
  | { type: 'error'; id: number; code: string | null; message: string };
