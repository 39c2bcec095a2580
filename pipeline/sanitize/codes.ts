/** Rejection codes of the sanitize stage (documented in README.md). */
export const SANITIZE_CODES = {
  inputTooLarge: 'INPUT_TOO_LARGE',
  ruleMatch: 'RULE_MATCH',
  fingerprintMatch: 'FINGERPRINT_MATCH',
  templateEscape: 'TEMPLATE_ESCAPE',
  templateUnknown: 'TEMPLATE_UNKNOWN',
  encodingAbuse: 'ENCODING_ABUSE',
} as const;
