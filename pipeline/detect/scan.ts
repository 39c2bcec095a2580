import type { AuthorizedRequest, Finding, SanitizedRequest } from '../../schemas/types.ts';
import type { StageContext, Verdict } from '../verdict.ts';
import type { DetectConfig } from './config.ts';
import { decide, limitsFor } from './decide.ts';
import type { Detector } from './detector.ts';

/** One line of `redline scan` output. */
export interface ScanResult {
  /** The detector's combined score (classifier and findings); null for an unreadable input line. */
  score: number | null;
  /** Would be rejected: by sanitize (rules, fingerprints, limits) or at/above the detect threshold. */
  flagged: boolean;
  /** Reason codes: the rejecting code, grey-zone INJECTION_SUSPECTED, and sanitize finding codes. */
  reasons: string[];
}

export type SanitizeFn = (req: AuthorizedRequest, ctx: StageContext) => Verdict<SanitizedRequest>;

export interface Scanner {
  /** Scans texts (null = an unreadable input line) and returns results in the same order. */
  scan(texts: Array<string | null>): Promise<ScanResult[]>;
}

/** A request as the scan sees it: a prompt with no template, from an anonymous batch principal. */
function offlineRequest(text: string, i: number): AuthorizedRequest {
  return {
    requestId: `scan-${i}`,
    tenant: 'scan',
    sessionId: null,
    model: 'scan',
    operation: 'scan',
    prompt: text,
    templateId: null,
    slots: {},
    parameters: { maxTokens: 0, temperature: 0, weight: 0 },
    priorityHint: null,
    batchId: null,
    batchIndex: i,
    createdAt: 0,
    producer: {},
    principal: { subject: 'scan', tenant: 'scan', roles: [], tier: 'batch', weightLevel: null },
  };
}

const uniqueCodes = (findings: readonly Finding[]) => [...new Set(findings.map((f) => f.code))];

/**
 * The offline chain of `redline scan`: sanitize's core (normalisation, rules, fingerprints) when
 * given, then the classifier on the normalised text and the same decision as the detect stage.
 * Without sanitize, the classifier scores the raw text.
 */
export function createScanner(
  detector: Detector,
  config: Pick<DetectConfig, 'threshold' | 'quarantineFrom' | 'perModel'>,
  sanitize: SanitizeFn | null,
): Scanner {
  const limits = limitsFor(config, 'scan');
  return {
    async scan(texts) {
      const ctx = { now: 0 };
      const prepared = texts.map((text, i) => {
        if (text === null) return null;
        if (!sanitize) return { text, findings: [] as Finding[], rejected: null as string | null };
        const v = sanitize(offlineRequest(text, i), ctx);
        if (v.kind === 'reject') return { text, findings: [] as Finding[], rejected: v.code };
        return { text: v.output.normalizedPrompt, findings: v.output.findings, rejected: null };
      });
      const readable = prepared.filter((p) => p !== null);
      const scores = await detector.score(readable.map((p) => p.text));
      let k = 0;
      return prepared.map((p): ScanResult => {
        if (p === null) return { score: null, flagged: false, reasons: ['INVALID_INPUT'] };
        const classifier = scores[k++] ?? 0;
        const d = decide(classifier, p.findings, limits);
        const codes = uniqueCodes(p.findings);
        if (p.rejected) return { score: d.score, flagged: true, reasons: [p.rejected, ...codes] };
        if (d.kind === 'pass') return { score: d.score, flagged: false, reasons: codes };
        return { score: d.score, flagged: d.kind === 'reject', reasons: [d.code, ...codes] };
      });
    },
  };
}
