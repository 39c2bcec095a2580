import type { Finding, Severity } from '../../schemas/types.ts';
import type { DetectConfig } from './config.ts';

export const DETECT_CODES = {
  injectionDetected: 'INJECTION_DETECTED',
  /** The grey zone: quarantined for an operator's review. */
  injectionSuspected: 'INJECTION_SUSPECTED',
} as const;

/**
 * How much a sanitize finding adds to the classifier's evidence: findings are independent signals
 * (a rule flag, a near fingerprint, homoglyphs), combined as a noisy-OR with the classifier score,
 * so a finding alone never rejects but tips a borderline score over.
 */
export const FINDING_EVIDENCE: Record<Severity, number> = { low: 0.05, medium: 0.2, high: 0.5 };

export function combinedScore(classifier: number, findings: readonly Finding[]): number {
  let benign = 1 - classifier;
  for (const f of findings) benign *= 1 - (FINDING_EVIDENCE[f.severity] ?? 0);
  return 1 - benign;
}

export interface Limits {
  threshold: number;
  quarantineFrom: number;
}

export function limitsFor(
  config: Pick<DetectConfig, 'threshold' | 'quarantineFrom' | 'perModel'>,
  model: string,
): Limits {
  const o = config.perModel[model] ?? {};
  const threshold = o.threshold ?? config.threshold;
  return { threshold, quarantineFrom: Math.min(o.quarantineFrom ?? config.quarantineFrom, threshold) };
}

export type Decision =
  | { kind: 'pass'; score: number }
  | { kind: 'reject' | 'quarantine'; score: number; code: string; detail: string };

export function decide(classifier: number, findings: readonly Finding[], limits: Limits): Decision {
  const score = combinedScore(classifier, findings);
  const why = `score ${score.toFixed(3)} (classifier ${classifier.toFixed(3)}, ${findings.length} finding(s))`;
  if (score >= limits.threshold)
    return {
      kind: 'reject',
      score,
      code: DETECT_CODES.injectionDetected,
      detail: `${why} >= ${limits.threshold}`,
    };
  if (score >= limits.quarantineFrom)
    return {
      kind: 'quarantine',
      score,
      code: DETECT_CODES.injectionSuspected,
      detail: `${why} in the review zone [${limits.quarantineFrom}, ${limits.threshold})`,
    };
  return { kind: 'pass', score };
}
