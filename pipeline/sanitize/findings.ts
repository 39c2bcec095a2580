import type { Finding, Severity } from '../../schemas/types.ts';

/** Finding codes of the normalisation steps (non-rejecting; they travel to the detector). */
export const FINDING = {
  invisible: 'INVISIBLE_CHARACTERS',
  tagSmuggling: 'TAG_CHARACTERS',
  bidi: 'BIDI_CONTROLS',
  homoglyph: 'HOMOGLYPHS',
  encoded: 'ENCODED_CONTENT',
  ruleFlag: 'RULE_MATCH',
  ruleStrip: 'RULE_STRIPPED',
  fingerprintNear: 'FINGERPRINT_NEAR',
} as const;

export function finding(
  code: string,
  severity: Severity,
  detail: string,
  ruleId: string | null = null,
): Finding {
  return { code, ruleId, severity, detail };
}
