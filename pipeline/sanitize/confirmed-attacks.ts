import type { Redis } from 'ioredis';
import type { Logger } from '../../infra/log.ts';
import type { FingerprintIndex } from './fingerprint/fingerprint-index.ts';

// Attacks confirmed by a reviewer grow the fingerprint corpus at run time. The review command
// appends the request's normalised prompt (SanitizedRequest.normalizedPrompt: the same text the
// stage embeds) to a Redis list; every stage instance polls the list from where it stopped.

/** Longest text kept: the embedding reads no further anyway. */
const MAX_TEXT = 65_536;

export const confirmedAttacksKey = (prefix: string): string => `${prefix}sanitize:confirmed-attacks`;

/** Appends a confirmed attack; returns the list's new length. */
export async function recordConfirmedAttack(
  redis: Redis,
  prefix: string,
  normalizedText: string,
): Promise<number> {
  return redis.rpush(confirmedAttacksKey(prefix), normalizedText.slice(0, MAX_TEXT));
}

/** Adds list entries from `from` on to the index; returns the next position to read. */
export async function pullConfirmedAttacks(
  redis: Redis,
  prefix: string,
  index: FingerprintIndex,
  from: number,
): Promise<number> {
  const items = await redis.lrange(confirmedAttacksKey(prefix), from, -1);
  for (const [i, text] of items.entries()) index.addText(`confirmed:${from + i}`, text);
  return from + items.length;
}

/** Polls the list every `intervalMs`; returns a stop function. */
export function followConfirmedAttacks(
  redis: Redis,
  prefix: string,
  index: FingerprintIndex,
  logger: Logger,
  intervalMs: number,
): () => void {
  let next = 0;
  let running = false;
  const poll = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const before = next;
      next = await pullConfirmedAttacks(redis, prefix, index, next);
      if (next > before)
        logger.info({ added: next - before, corpus: index.size }, 'confirmed attacks added to fingerprints');
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'confirmed attacks poll failed; retrying');
    } finally {
      running = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
