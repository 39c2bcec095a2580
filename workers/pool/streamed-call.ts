import { OutputBlockedError } from '../output-scan/errors.ts';
import type { OutputScanVerdict, StreamScanner } from './hooks.ts';

/**
 * A streamed backend call scanned as it arrives (sliding window across chunks): the scanned output,
 * or the block. A block ends the loop, and leaving a `for await` closes the backend's stream, so
 * a model that leaks a canary or a key stops generating at once instead of running to its end.
 * Backend failures (and aborts) are thrown as they come.
 */
export async function streamAndScan(
  chunks: AsyncIterable<string>,
  scanner: StreamScanner,
): Promise<OutputScanVerdict> {
  let output = '';
  try {
    for await (const chunk of chunks) output += scanner.push(chunk);
    output += scanner.finish();
  } catch (err) {
    if (err instanceof OutputBlockedError) return { action: 'block', code: err.code, detail: err.message };
    throw err;
  }
  return { action: 'pass', output, redactions: [...scanner.redactions] };
}
