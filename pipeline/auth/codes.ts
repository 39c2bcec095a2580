// The auth stage's reason codes (documented in ./README.md). Callers branch on these, never on a detail.
export const AUTH_CODES = {
  missing: 'AUTH_MISSING',
  malformed: 'AUTH_MALFORMED',
  tooLarge: 'AUTH_TOO_LARGE',
  badSignature: 'AUTH_BAD_SIGNATURE',
  algNotAllowed: 'AUTH_ALG_NOT_ALLOWED',
  expired: 'AUTH_EXPIRED',
  notYetValid: 'AUTH_NOT_YET_VALID',
  claims: 'AUTH_CLAIMS',
  unknownKey: 'AUTH_UNKNOWN_KEY',
  tenantMismatch: 'TENANT_MISMATCH',
  rbacDenied: 'RBAC_DENIED',
  weightOutOfBand: 'WEIGHT_OUT_OF_BAND',
} as const;

export type AuthCode = (typeof AUTH_CODES)[keyof typeof AUTH_CODES];

/** Thrown (not a rejection) when the keys cannot be fetched: the request is not at fault. */
export const AUTH_KEYS_UNAVAILABLE = 'AUTH_KEYS_UNAVAILABLE';
