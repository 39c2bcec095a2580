import type { OutputScanConfig } from './config.ts';
import { OutputBlockedError } from './errors.ts';
import type { RedactionKind } from './finding.ts';
import { addKinds, LEFT_CONTEXT, redactRange, type ScanCore } from './scanner.ts';

/**
 * Scans streamed output over a sliding window. `push(chunk)` returns the cleaned text that can no
 * longer be part of a match (possibly ''); `finish()` returns the rest. The text held back is the
 * last `hold` characters (the longest bounded match) plus any unfinished JWT or private key, so a
 * secret split across chunks at any position is still caught, and the concatenated output equals
 * the one-shot scan of the whole text.
 *
 * A blocked finding throws OutputBlockedError from push/finish before any of it is emitted; the
 * scanner is then unusable.
 */
export class StreamingScanner {
  readonly #core: ScanCore;
  readonly #step: number;
  readonly #maxHeld: number;
  /** Raw text already emitted, last LEFT_CONTEXT characters (the lookbehind context). */
  #left = '';
  /** Raw text received and not yet emitted. */
  #pending = '';
  #lastScanLength = 0;
  #done = false;
  readonly redactions: RedactionKind[] = [];

  constructor(core: ScanCore, config: Pick<OutputScanConfig, 'streamStepChars' | 'maxHeldChars'>) {
    this.#core = core;
    this.#step = config.streamStepChars;
    this.#maxHeld = config.maxHeldChars;
  }

  push(chunk: string): string {
    if (this.#done) throw new Error('the streaming scanner is finished or blocked');
    this.#pending += chunk;
    // Rescan only once enough new text arrived past the held-back tail: amortises the rescans.
    if (this.#pending.length - this.#lastScanLength < this.#step) return '';
    return this.#emit(false);
  }

  finish(): string {
    if (this.#done) throw new Error('the streaming scanner is finished or blocked');
    const rest = this.#emit(true);
    this.#done = true;
    return rest;
  }

  #emit(final: boolean): string {
    const text = this.#left + this.#pending;
    const from = this.#left.length;
    try {
      this.#core.enforceCanaries(text);
      const limit = final ? text.length : this.#core.stablePrefixEnd(text, from);
      const findings = this.#core.findings(text, from, limit);
      this.#core.enforce(findings);
      const last = findings[findings.length - 1];
      const end = last && last.end > limit ? last.end : limit;
      addKinds(this.redactions, findings);
      const out = redactRange(text, from, end, findings);
      this.#left = text.slice(Math.max(0, end - LEFT_CONTEXT), end);
      this.#pending = text.slice(end);
      this.#lastScanLength = this.#pending.length;
      if (this.#pending.length > this.#maxHeld) throw new OutputBlockedError(['private_key']);
      return out;
    } catch (err) {
      this.#done = true;
      throw err;
    }
  }
}
