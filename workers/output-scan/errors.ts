import { RedlineError } from '../../pipeline/errors.ts';
import type { RedactionKind } from './finding.ts';

/** The output held something the policy blocks. Carries the kinds found, never the text. */
export class OutputBlockedError extends RedlineError {
  readonly kinds: RedactionKind[];
  constructor(kinds: RedactionKind[]) {
    super('OUTPUT_BLOCKED', `the output was blocked by the output scan policy (${kinds.join(', ')})`);
    this.name = 'OutputBlockedError';
    this.kinds = kinds;
  }
}
