// Output scanning before anything is published: secrets, PII and canaries, redacted or blocked.
export {
  type OutputScanConfig,
  type OutputScanPolicy,
  outputScanConfigSchema,
  type ScanAction,
} from './config.ts';
export { OutputBlockedError } from './errors.ts';
export type { Category, RedactionKind } from './finding.ts';
export { luhnValid } from './luhn.ts';
export { OutputScanner } from './scan.ts';
export type { ScanResult } from './scanner.ts';
export { StreamingScanner } from './stream.ts';
