import { canaryDetector } from './canary.ts';
import type { OutputScanConfig } from './config.ts';
import { piiDetectors, secretDetectors } from './detectors.ts';
import { OutputBlockedError } from './errors.ts';
import type { Detector, Finding, RedactionKind } from './finding.ts';

export interface ScanResult {
  /** The output with every finding replaced by `[REDACTED:<kind>]`. */
  text: string;
  /** The kinds redacted, each once, in order of first appearance (never the values). */
  redactions: RedactionKind[];
}

/** Characters of already-emitted text kept as context: the detectors' lookbehinds look back two. */
export const LEFT_CONTEXT = 2;
/** Covers a partial private-key BEGIN line or a partial `eyJ` before the long detectors see them. */
const LONG_MARKER_HOLD = 96;

export function redactionMarker(kind: RedactionKind): string {
  return `[REDACTED:${kind}]`;
}

/**
 * The scanning core shared by the one-shot scan and the streaming scanner: the detectors the
 * policy enables, and a pass that takes findings leftmost first (the longest on a tie) and restarts
 * every detector after each one, so the result depends only on the text and where the pass began.
 */
export class ScanCore {
  readonly detectors: Detector[];
  readonly #blocked: ReadonlySet<string>;
  /** How much trailing text a bounded detector may still need to decide a match. */
  readonly hold: number;

  constructor(config: OutputScanConfig) {
    const candidates: Detector[] = [];
    if (config.policy.secret !== 'allow') candidates.push(...secretDetectors());
    if (config.policy.pii !== 'allow') candidates.push(...piiDetectors());
    const canary = config.policy.canary !== 'allow' ? canaryDetector(config.canaries) : null;
    if (canary) candidates.push(canary);
    this.detectors = candidates;
    this.#blocked = new Set(
      (['secret', 'pii', 'canary'] as const).filter((category) => config.policy[category] === 'block'),
    );
    const bounded = candidates.map((d) => d.reach).filter((r) => Number.isFinite(r));
    this.hold = Math.max(LONG_MARKER_HOLD, ...bounded);
  }

  /**
   * Findings from `from` that start before `limit`, non-overlapping. With `final` false, open
   * findings are not taken (the caller's limit already stops before them).
   */
  findings(text: string, from: number, limit: number): Finding[] {
    const next = this.detectors.map((d) => d.next(text, from));
    const taken: Finding[] = [];
    let at = from;
    for (;;) {
      let best: Finding | null = null;
      for (let i = 0; i < next.length; i++) {
        let f = next[i] ?? null;
        if (f && f.start < at) {
          f = this.detectors[i]!.next(text, at);
          next[i] = f;
        }
        if (f && (!best || f.start < best.start || (f.start === best.start && f.end > best.end))) best = f;
      }
      if (!best || best.start >= limit) return taken;
      taken.push(best);
      at = best.end;
    }
  }

  /** Where emitting must stop for now: nothing before it can change with more text. */
  stablePrefixEnd(text: string, from: number): number {
    let cut = text.length - this.hold;
    for (const d of this.detectors) {
      if (!d.pendingStart) continue;
      const start = d.pendingStart(text, from);
      if (start >= 0 && start < cut) cut = start;
    }
    return Math.max(cut, from);
  }

  /**
   * Throws OUTPUT_BLOCKED when a blocked canary appears anywhere in `text`, held-back tail included:
   * a canary is an exact string, so no further text can undo the match, and a stream can stop the
   * model at once instead of after the canary leaves the held-back window.
   */
  enforceCanaries(text: string): void {
    if (!this.#blocked.has('canary')) return;
    for (const d of this.detectors) {
      if (d.category === 'canary' && d.next(text, 0)) throw new OutputBlockedError(['canary']);
    }
  }

  /** Throws OUTPUT_BLOCKED if any finding's category is set to block. */
  enforce(findings: readonly Finding[]): void {
    const blocked = findings.filter((f) => this.#blocked.has(f.category)).map((f) => f.kind);
    if (blocked.length > 0) throw new OutputBlockedError([...new Set(blocked)]);
  }
}

/** `text[from, end)` with the findings (all inside it) replaced by markers. */
export function redactRange(text: string, from: number, end: number, findings: readonly Finding[]): string {
  let out = '';
  let at = from;
  for (const f of findings) {
    out += text.slice(at, f.start) + redactionMarker(f.kind);
    at = f.end;
  }
  return out + text.slice(at, end);
}

export function addKinds(into: RedactionKind[], findings: readonly Finding[]): void {
  for (const f of findings) if (!into.includes(f.kind)) into.push(f.kind);
}
