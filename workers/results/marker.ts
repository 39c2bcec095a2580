import type { Redis } from 'ioredis';

// The result marker: at most one publication per request id, even when a stalled job is re-run
// while (or after) its first run publishes. A run claims the marker as `pending:<claim>` (short
// TTL, so a publisher that crashed mid-send does not block the request forever), publishes, then
// marks it `done` (long TTL). A run that finds the marker taken publishes nothing.

// Compare-and-delete: a failed publisher releases only its own claim.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export type Claim = { claimed: true; value: string } | { claimed: false; state: 'done' | 'pending' };

export class ResultMarker {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly pendingTtlMs: number,
    private readonly doneTtlMs: number,
  ) {}

  key(requestId: string): string {
    return `${this.prefix}${requestId}`;
  }

  async claim(requestId: string, claimId: string): Promise<Claim> {
    const value = `pending:${claimId}`;
    const ok = await this.redis.set(this.key(requestId), value, 'PX', this.pendingTtlMs, 'NX');
    if (ok === 'OK') return { claimed: true, value };
    const current = await this.redis.get(this.key(requestId));
    // The marker may expire between the two calls: the caller treats that as taken and lets a
    // later run (a retry, or the stalled-job checker) publish.
    return { claimed: false, state: current === 'done' ? 'done' : 'pending' };
  }

  async done(requestId: string): Promise<void> {
    await this.redis.set(this.key(requestId), 'done', 'PX', this.doneTtlMs);
  }

  async release(requestId: string, value: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(requestId), value);
  }

  async state(requestId: string): Promise<string | null> {
    return this.redis.get(this.key(requestId));
  }
}
