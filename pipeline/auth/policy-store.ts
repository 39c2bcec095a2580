import { readFileSync } from 'node:fs';
import type { Logger } from '../../infra/log.ts';
import type { RedlineError } from '../errors.ts';
import { watchFile } from './file-watch.ts';
import { type Policy, parsePolicy } from './policy.ts';

export type ReloadListener = (
  result: { ok: true; policy: Policy } | { ok: false; error: RedlineError },
) => void;

/**
 * Holds the policy in force and swaps it when its file changes. A new file that does not parse or
 * validate is refused with a log line, and the previous policy stays in force.
 */
export class PolicyStore {
  private policy: Policy;
  private readonly watch: { close(): void } | undefined;
  private readonly listeners = new Set<ReloadListener>();

  /** Loads the file now (throws POLICY_INVALID when it is broken) and, unless `watch` is false, watches it. */
  constructor(
    readonly file: string,
    private readonly logger?: Logger,
    options: { watch?: boolean; debounceMs?: number } = {},
  ) {
    this.policy = parsePolicy(readFileSync(file, 'utf8'), file);
    this.logger?.info(
      { policyFile: file, rules: this.policy.rules.length, digest: this.policy.digest },
      'policy loaded',
    );
    if (options.watch !== false) {
      this.watch = watchFile(file, options.debounceMs ?? 100, () => this.reload());
    }
  }

  current(): Policy {
    return this.policy;
  }

  onReload(listener: ReloadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads the file; returns whether the new policy was taken. */
  reload(): boolean {
    let next: Policy;
    try {
      next = parsePolicy(readFileSync(this.file, 'utf8'), this.file);
    } catch (err) {
      const error = err as RedlineError;
      this.logger?.error(
        {
          policyFile: this.file,
          code: error.code ?? 'POLICY_INVALID',
          reason: error.message,
          kept: this.policy.digest,
        },
        'policy reload refused; the previous policy stays in force',
      );
      this.emit({ ok: false, error });
      return false;
    }
    if (next.digest !== this.policy.digest) {
      this.logger?.info(
        {
          policyFile: this.file,
          rules: next.rules.length,
          digest: next.digest,
          previous: this.policy.digest,
        },
        'policy reloaded',
      );
    }
    this.policy = next;
    this.emit({ ok: true, policy: next });
    return true;
  }

  close(): void {
    this.watch?.close();
    this.listeners.clear();
  }

  private emit(result: Parameters<ReloadListener>[0]): void {
    for (const listener of this.listeners) listener(result);
  }
}
