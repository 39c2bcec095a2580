import * as crypto from 'node:crypto';

/**
 * A bounded cache of verified tokens, keyed by a SHA-256 of the token (the token itself is never
 * kept), so a burst of requests carrying one token is verified once. An entry expires with its
 * token: the caller gives the instant it stops being valid. Least recently used entries go first
 * when the cache is full. Hand-written (a Map keeps insertion order, which is all an LRU needs)
 * because no LRU package is among the dependencies.
 */
const oneShot = (crypto as { hash?: (alg: string, data: string, encoding: 'base64url') => string }).hash;

export class VerifiedTokenCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    /** No entry lives longer than this, whatever its token says (a removed key stops working). */
    private readonly maxTtlMs: number,
  ) {}

  static keyOf(token: string): string {
    // crypto.hash (Node ≥ 20.12) is the cheaper one-shot form of the same digest.
    return oneShot
      ? oneShot('sha256', token, 'base64url')
      : crypto.createHash('sha256').update(token).digest('base64url');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert to mark it most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, now: number, tokenExpiresAt: number): void {
    if (this.maxEntries === 0) return;
    const expiresAt = Math.min(tokenExpiresAt, now + this.maxTtlMs);
    if (expiresAt <= now) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt });
  }

  clear(): void {
    this.entries.clear();
  }
}
