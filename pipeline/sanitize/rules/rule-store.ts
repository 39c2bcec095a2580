import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '../../../infra/log.ts';
import { isRedlineError } from '../../errors.ts';
import { loadRuleSet, type RuleSet } from './engine.ts';

export type OfferResult =
  | { accepted: true; version: number }
  | { accepted: false; code: string; reason: string };

/**
 * The rule set in force. The core reads `current()` on every request, so a reload takes effect
 * without a restart. A new version is refused, and the last good one kept, when it does not parse
 * or compile, or when it is older than the one in force (both the file and the topic feed it).
 */
export class RuleStore {
  private set: RuleSet;

  constructor(initial: RuleSet) {
    this.set = initial;
  }

  current(): RuleSet {
    return this.set;
  }

  offer(text: string): OfferResult {
    let next: RuleSet;
    try {
      next = loadRuleSet(text);
    } catch (err) {
      if (!isRedlineError(err)) throw err;
      return { accepted: false, code: err.code, reason: err.message };
    }
    if (next.version < this.set.version) {
      next.dispose();
      return {
        accepted: false,
        code: 'RULES_STALE',
        reason: `version ${next.version} is older than ${this.set.version} in force`,
      };
    }
    // The core is synchronous, so no request is half-way through the old set: free it now
    // (re2-wasm's heap is fixed and would fill up after enough reloads otherwise).
    const old = this.set;
    this.set = next;
    old.dispose();
    return { accepted: true, version: next.version };
  }
}

/** Logs an offer's outcome (never the rule text). */
export function logOffer(logger: Logger, source: string, result: OfferResult): void {
  if (result.accepted) logger.info({ source, version: result.version }, 'sanitize rules loaded');
  else
    logger.error(
      { source, code: result.code, reason: result.reason },
      'sanitize rules refused; last good kept',
    );
}

/**
 * Reloads the rule file when it changes. Polls the file's stat (fs.watchFile) rather than using
 * fs.watch, because editors and config management replace the file (a new inode) and fs.watch
 * loses track of a replaced file.
 */
export function watchRuleFile(
  store: RuleStore,
  file: string,
  logger: Logger,
  intervalMs = 1_000,
): () => void {
  const onChange = (curr: { mtimeMs: number }, prev: { mtimeMs: number }): void => {
    if (curr.mtimeMs === prev.mtimeMs || curr.mtimeMs === 0) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      logger.error({ file, err: (err as Error).message }, 'sanitize rule file unreadable; last good kept');
      return;
    }
    logOffer(logger, file, store.offer(text));
  };
  watchFile(file, { interval: intervalMs, persistent: false }, onChange);
  return () => unwatchFile(file, onChange);
}
