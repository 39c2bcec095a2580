import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createLogger } from '../../infra/log.ts';
import { RedlineError } from '../../pipeline/errors.ts';
import type { BackendRequest, BackendResponse, ModelBackend } from '../backends/types.ts';
import { cgroupSupport, confine } from './cgroup.ts';
import type { SandboxConfig } from './config.ts';
import type { HostMessage, SandboxBackendSpec, SandboxMessage } from './protocol.ts';

// A ModelBackend that runs another backend in sandboxes: worker threads with V8 `resourceLimits`,
// or child processes with a heap limit (and cgroup v2 limits where available). One sandbox serves
// one call at a time and is reused; a sandbox that breaks its limits dies alone and its call fails
// with SANDBOX_LIMIT (the pool then applies the job's retry policy). A cancelled call that does not
// stop within the grace period has its sandbox terminated.

const log = createLogger('sandbox');
const ENTRY = fileURLToPath(new URL('./entry.js', import.meta.url));

interface Pending {
  resolve(res: BackendResponse): void;
  reject(err: unknown): void;
}

/** One thread or process. */
class Sandbox {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private exitError: RedlineError | undefined;
  readonly exited: Promise<void>;
  private markExited!: () => void;

  private constructor(
    private readonly post: (msg: HostMessage) => void,
    readonly kill: () => void,
  ) {
    this.exited = new Promise((r) => {
      this.markExited = r;
    });
  }

  static async start(
    mode: 'thread' | 'process',
    spec: SandboxBackendSpec,
    config: SandboxConfig,
  ): Promise<Sandbox> {
    let box: Sandbox;
    if (mode === 'thread') {
      const worker = new Worker(ENTRY, {
        resourceLimits: {
          maxOldGenerationSizeMb: config.maxOldGenerationMb,
          maxYoungGenerationSizeMb: config.maxYoungGenerationMb,
        },
        stdout: false,
        stderr: false,
      });
      box = new Sandbox(
        (m) => worker.postMessage(m),
        () => void worker.terminate(),
      );
      worker.on('message', (m: SandboxMessage) => box.onMessage(m));
      let limitHit = false;
      worker.on('error', (err: Error & { code?: string }) => {
        limitHit ||= err.code === 'ERR_WORKER_OUT_OF_MEMORY';
        log.warn({ code: err.code, err: err.message }, 'sandbox thread error');
      });
      worker.on('exit', (code) => box.onExit(limitHit, `thread exited with code ${code}`));
    } else {
      const child: ChildProcess = fork(ENTRY, [], {
        execArgv: [`--max-old-space-size=${config.maxOldGenerationMb}`],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      const support = cgroupSupport(config.cgroupRoot);
      let release = () => {};
      if (child.pid !== undefined) {
        release = confine(support, child.pid, {
          cpuMax: config.cpuMax,
          memoryMaxBytes: config.memoryMaxMb * 1024 * 1024,
        });
      }
      box = new Sandbox(
        (m) => child.send(m),
        () => child.kill('SIGKILL'),
      );
      child.on('message', (m) => box.onMessage(m as SandboxMessage));
      child.on('exit', (code, signal) => {
        release();
        // V8's heap limit aborts the process (SIGABRT / 134); the cgroup OOM killer sends SIGKILL.
        const limitHit = signal === 'SIGABRT' || signal === 'SIGKILL' || code === 134;
        box.onExit(limitHit, `process exited with code ${code} signal ${signal}`);
      });
    }
    await box.init(spec);
    return box;
  }

  private initWaiter: Pending | undefined;

  private init(spec: SandboxBackendSpec): Promise<void> {
    return new Promise((resolve, reject) => {
      this.initWaiter = { resolve: () => resolve(), reject };
      this.post({ type: 'init', spec });
    });
  }

  get alive(): boolean {
    return this.exitError === undefined;
  }

  private onMessage(msg: SandboxMessage): void {
    if (msg.type === 'ready') {
      this.initWaiter?.resolve({ text: '', status: 0 });
      this.initWaiter = undefined;
    } else if (msg.type === 'init-failed') {
      this.initWaiter?.reject(new RedlineError('SANDBOX_INIT_FAILED', msg.message));
      this.initWaiter = undefined;
      this.kill();
    } else {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.type === 'done') p.resolve({ text: msg.text, status: msg.status });
      else p.reject(msg.code ? new RedlineError(msg.code, msg.message) : new Error(msg.message));
    }
  }

  private onExit(limitHit: boolean, detail: string): void {
    this.exitError = limitHit
      ? new RedlineError('SANDBOX_LIMIT', `sandbox broke its resource limits (${detail})`)
      : new RedlineError('SANDBOX_CRASHED', `sandbox ended unexpectedly (${detail})`);
    this.initWaiter?.reject(this.exitError);
    this.initWaiter = undefined;
    for (const p of this.pending.values()) p.reject(this.exitError);
    this.pending.clear();
    this.markExited();
  }

  call(req: BackendRequest, graceMs: number): Promise<BackendResponse> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    const { signal, ...request } = req;
    return new Promise<BackendResponse>((resolve, reject) => {
      let grace: NodeJS.Timeout | undefined;
      const onAbort = () => {
        this.post({ type: 'cancel', id, reason: String(signal.reason) });
        // A backend stuck in a loop never sees its signal: end the sandbox instead.
        grace = setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          this.kill();
          reject(new RedlineError('SANDBOX_CANCELLED', 'sandbox did not stop after cancel; terminated'));
        }, graceMs);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        clearTimeout(grace);
        signal.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        resolve: (r) => {
          cleanup();
          resolve(r);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
      });
      this.post({ type: 'call', id, request });
    });
  }
}

export class SandboxedBackend implements ModelBackend {
  readonly name: string;
  private readonly idle: Sandbox[] = [];
  private readonly all = new Set<Sandbox>();
  private closed = false;

  constructor(
    private readonly mode: 'thread' | 'process',
    private readonly spec: SandboxBackendSpec,
    private readonly config: SandboxConfig,
  ) {
    this.name = `sandbox-${mode}`;
    if (mode === 'process') cgroupSupport(config.cgroupRoot);
  }

  async complete(req: BackendRequest): Promise<BackendResponse> {
    if (this.closed) throw new RedlineError('SANDBOX_CLOSED', 'sandboxed backend is closed');
    const box = await this.acquire();
    try {
      return await box.call(req, this.config.cancelGraceMs);
    } finally {
      if (box.alive && !this.closed) this.idle.push(box);
      else this.all.delete(box);
    }
  }

  private async acquire(): Promise<Sandbox> {
    for (let box = this.idle.pop(); box; box = this.idle.pop()) if (box.alive) return box;
    const box = await Sandbox.start(this.mode, this.spec, this.config);
    this.all.add(box);
    void box.exited.then(() => this.all.delete(box));
    return box;
  }

  /** How many sandboxes are alive (tests check that a dead one was replaced, not leaked). */
  get size(): number {
    return this.all.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    const boxes = [...this.all];
    for (const b of boxes) b.kill();
    await Promise.all(boxes.map((b) => b.exited));
  }
}
