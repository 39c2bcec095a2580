import type { Redis } from 'ioredis';

// The result marker: at most one publication per request id, even when a stalled job is re-run
// while (or after) its first run publishes. A sender claims the marker as `pending:<claim>` (short
// TTL, so a sender that crashed mid-send does not block the request forever), publishes, then marks
// it `done` (long TTL). A run that finds it `done` publishes nothing; one that finds it pending
// tries again later.

// Compare-and-delete: a failed sender releases only its own claims.
const RELEASE = `local n = 0
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then n = n + redis.call('DEL', key) end
end
return n`;

export type ClaimState = 'claimed' | 'done' | 'pending';

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

  /** Claims every request's marker in one round trip (two when some are taken). */
  async claimMany(requestIds: string[], claimId: string): Promise<ClaimState[]> {
    const value = `pending:${claimId}`;
    const sets = this.redis.pipeline();
    for (const id of requestIds) sets.set(this.key(id), value, 'PX', this.pendingTtlMs, 'NX');
    const res = (await sets.exec()) ?? [];
    const states: ClaimState[] = res.map(([err, ok]) => {
      if (err) throw err;
      return ok === 'OK' ? 'claimed' : 'pending';
    });
    const taken = requestIds.filter((_, i) => states[i] !== 'claimed');
    if (taken.length > 0) {
      const current = await this.redis.mget(...taken.map((id) => this.key(id)));
      let j = 0;
      states.forEach((s, i) => {
        // A marker that expired between the two calls counts as pending: the retry claims it.
        if (s !== 'claimed') states[i] = current[j++] === 'done' ? 'done' : 'pending';
      });
    }
    return states;
  }

  async doneMany(requestIds: string[]): Promise<void> {
    const p = this.redis.pipeline();
    for (const id of requestIds) p.set(this.key(id), 'done', 'PX', this.doneTtlMs);
    await p.exec();
  }

  async releaseMany(requestIds: string[], claimId: string): Promise<void> {
    await this.redis.eval(
      RELEASE,
      requestIds.length,
      ...requestIds.map((id) => this.key(id)),
      `pending:${claimId}`,
    );
  }

  async state(requestId: string): Promise<string | null> {
    return this.redis.get(this.key(requestId));
  }
}
