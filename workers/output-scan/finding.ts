export type Category = 'secret' | 'pii' | 'canary';

export type RedactionKind =
  | 'api_key'
  | 'aws_access_key'
  | 'github_token'
  | 'slack_token'
  | 'google_api_key'
  | 'private_key'
  | 'jwt'
  | 'email'
  | 'phone'
  | 'card_number'
  | 'canary';

export interface Finding {
  kind: RedactionKind;
  category: Category;
  start: number;
  end: number;
  /** A private key whose END line has not been seen: runs to the end of the text so far. */
  open: boolean;
}

/**
 * One kind of sensitive text. `next(text, from)` returns the leftmost finding starting at or after
 * `from`, as a pure function of the text and `from` (the scanner restarts detectors after each
 * finding, and the streaming scanner relies on that to give the same answer as one pass).
 */
export interface Detector {
  readonly kind: RedactionKind;
  readonly category: Category;
  /**
   * How far past a match's start the detector ever looks (its longest match plus lookahead), or
   * Infinity for the long kinds, which say instead where an unfinished match starts (pendingStart).
   */
  readonly reach: number;
  next(text: string, from: number): Finding | null;
  /** Long kinds only: where a match that more text could still complete starts, or -1. */
  pendingStart?(text: string, from: number): number;
}
