import type { ClearedRequest, SanitizedRequest } from '../../schemas/types.ts';
import { pass, quarantine, reject, type StageCore } from '../verdict.ts';
import type { DetectConfig } from './config.ts';
import { decide, limitsFor } from './decide.ts';
import type { Detector } from './detector.ts';

/**
 * The detect core: scores the sanitized prompt's normalised text with the classifier, weighs in
 * sanitize's findings, and passes (→ cleared), rejects (INJECTION_DETECTED) or quarantines (grey
 * zone → quarantine topic, with its detection, for review). Async only because the classifier is.
 */
export function createDetectCore(
  detector: Detector,
  config: Pick<DetectConfig, 'threshold' | 'quarantineFrom' | 'perModel'>,
): StageCore<SanitizedRequest, ClearedRequest> {
  return async (req) => {
    const [classifier = 0] = await detector.score([req.normalizedPrompt]);
    const d = decide(classifier, req.findings, limitsFor(config, req.model));
    const cleared: ClearedRequest = { ...req, detection: { score: d.score, modelVersion: detector.version } };
    if (d.kind === 'pass') return pass(cleared);
    if (d.kind === 'quarantine') return quarantine(cleared, d.code, d.detail);
    return reject(d.code, d.detail);
  };
}
