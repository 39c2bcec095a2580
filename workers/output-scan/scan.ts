import type { OutputScanConfig } from './config.ts';
import { addKinds, redactRange, ScanCore, type ScanResult } from './scanner.ts';
import { StreamingScanner } from './stream.ts';

/**
 * Scans model output before it is published: redacts secrets, PII and canaries, or throws
 * OutputBlockedError (OUTPUT_BLOCKED) when a blocked category is found. Build one per config and
 * reuse it; `scan` and `stream` are safe to call for many outputs.
 */
export class OutputScanner {
  readonly #core: ScanCore;
  readonly #config: OutputScanConfig;

  constructor(config: OutputScanConfig) {
    this.#config = config;
    this.#core = new ScanCore(config);
  }

  scan(text: string): ScanResult {
    const findings = this.#core.findings(text, 0, text.length);
    this.#core.enforce(findings);
    const redactions: ScanResult['redactions'] = [];
    addKinds(redactions, findings);
    return { text: redactRange(text, 0, text.length, findings), redactions };
  }

  /** A scanner for one streamed output: push chunks, then finish. */
  stream(): StreamingScanner {
    return new StreamingScanner(this.#core, this.#config);
  }
}
