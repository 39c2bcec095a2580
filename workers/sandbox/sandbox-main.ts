import { parentPort } from 'node:worker_threads';
import type { ModelBackend } from '../backends/types.ts';
import type { HostMessage, SandboxMessage } from './protocol.ts';

// Runs inside a sandbox: builds the backend from its spec, then serves calls (one at a time, as
// the host sends them) with an AbortController per call so the host can cancel.

type Send = (msg: SandboxMessage) => void;

function channel(): { send: Send; onMessage(handler: (msg: HostMessage) => void): void } {
  if (parentPort) {
    const port = parentPort;
    return { send: (m) => port.postMessage(m), onMessage: (h) => port.on('message', h) };
  }
  if (process.send) {
    return {
      send: (m) => process.send?.(m),
      onMessage: (h) => process.on('message', (m) => h(m as HostMessage)),
    };
  }
  throw new Error('sandbox-main runs only in a worker thread or a forked child process');
}

const { send, onMessage } = channel();
let backend: ModelBackend | undefined;
const calls = new Map<number, AbortController>();

onMessage(async (msg) => {
  if (msg.type === 'init') {
    try {
      const mod = (await import(msg.spec.module)) as Record<string, (o: unknown) => ModelBackend>;
      const factory = mod[msg.spec.exportName];
      if (typeof factory !== 'function')
        throw new Error(`${msg.spec.exportName} is not exported by the module`);
      backend = await factory(msg.spec.options);
      send({ type: 'ready' });
    } catch (err) {
      send({ type: 'init-failed', message: (err as Error).message });
    }
    return;
  }
  if (msg.type === 'cancel') {
    calls.get(msg.id)?.abort(msg.reason);
    return;
  }
  const controller = new AbortController();
  calls.set(msg.id, controller);
  try {
    if (!backend) throw new Error('sandbox not initialised');
    const res = await backend.complete({ ...msg.request, signal: controller.signal });
    send({ type: 'done', id: msg.id, text: res.text, status: res.status });
  } catch (err) {
    const e = err as Error & { code?: unknown };
    send({ type: 'error', id: msg.id, code: typeof e.code === 'string' ? e.code : null, message: e.message });
  } finally {
    calls.delete(msg.id);
  }
});
