import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

// The result outbox: a job's one outcome is appended to a Redis stream ahead of the job's
// completion, and the relay (`relay.ts`) carries the stream to Kafka in large batches. A job slot
// so pays no Kafka produce (nor a round trip of its own: see `append`), and a crash after the
// append loses nothing (the stream outlives the process). The request's result marker is set in
// the same script as the append, so a stalled job's re-run (or any second run) appends nothing.

export type PublishOutcome = 'published' | 'duplicate';

export interface OutboxEntry {
  requestId: string;
  topic: string;
  value: Buffer;
  traceparent: string;
  tracestate: string;
}

/** An append under way: `written` once the command is on its connection, `outcome` once Redis ran it. */
export interface Appending {
  written: Promise<void>;
  outcome: Promise<PublishOutcome>;
}

/** The stream field holding a packed entry. */
export const ENTRY_FIELD = 'e';

/**
 * An entry as one value: a JSON header line (request id, topic, trace context), then the record's
 * bytes. One argument per entry instead of five made appends and relay reads markedly cheaper.
 */
export function packEntry(e: OutboxEntry): Buffer {
  const header = Buffer.from(`${JSON.stringify([e.requestId, e.topic, e.traceparent, e.tracestate])}\n`);
  return Buffer.concat([header, e.value], header.length + e.value.length);
}

export function unpackEntry(packed: Buffer): OutboxEntry {
  const end = packed.indexOf(0x0a); // JSON escapes newlines: the first one ends the header
  const [requestId, topic, traceparent, tracestate] = JSON.parse(
    packed.subarray(0, end).toString(),
  ) as string[];
  return {
    requestId: requestId ?? '',
    topic: topic ?? '',
    traceparent: traceparent ?? '',
    tracestate: tracestate ?? '',
    value: packed.subarray(end + 1),
  };
}

// KEYS[1] the stream, KEYS[2..] the entries' markers; ARGV[1] the marker TTL, then one packed
// entry each. One script for many entries: a script call costs Redis more than the writes in it.
const APPEND = `local out = {}
for i = 2, #KEYS do
  if redis.call('SET', KEYS[i], 'done', 'PX', ARGV[1], 'NX') then
    redis.call('XADD', KEYS[1], '*', '${ENTRY_FIELD}', ARGV[i])
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out`;

const COMMAND = 'redlineOutboxAppend';
type AppendCommand = (...args: Array<string | Buffer | number>) => Promise<number[]>;

export interface OutboxOptions {
  stream: string;
  markerPrefix: string;
  markerTtlMs: number;
  /** Entries per script call at most. */
  maxBatch: number;
}

interface Pending {
  entry: OutboxEntry;
  written(): void;
  resolve(outcome: PublishOutcome): void;
  reject(err: unknown): void;
}

/** A failed append is tried again this many times (the job it belongs to may have completed already). */
const APPEND_RETRIES = 8;

export class ResultOutbox {
  /** Entries waiting for the end of the tick, per connection they go out on. */
  private readonly queued = new Map<Redis, Pending[]>();

  constructor(
    private readonly redis: Redis,
    readonly opts: OutboxOptions,
  ) {}

  markerKey(requestId: string): string {
    return `${this.opts.markerPrefix}${requestId}`;
  }

  /** Whether the request's outcome is already in the outbox (or relayed). */
  async contains(requestId: string): Promise<boolean> {
    return (await this.redis.exists(this.markerKey(requestId))) === 1;
  }

  /**
   * Appends one outcome, with the others of the same tick, on `via` (default: the outbox's own
   * connection). `outcome` is `published` once Redis holds it, `duplicate` when the request had one
   * already. Redis runs one connection's commands in order, so a job completion sent on `via` once
   * `written` resolves lands after the append without waiting for its reply. A failed append is
   * tried again on the outbox's own connection, for the job may be complete by then.
   */
  append(entry: OutboxEntry, via: Redis = this.redis): Appending {
    let written!: () => void;
    const writtenP = new Promise<void>((r) => {
      written = r;
    });
    const outcome = new Promise<PublishOutcome>((resolve, reject) => {
      let batch = this.queued.get(via);
      if (!batch) {
        batch = [];
        this.queued.set(via, batch);
        setImmediate(() => this.writeQueued(via));
      }
      batch.push({ entry, written, resolve, reject });
    });
    return { written: writtenP, outcome };
  }

  private writeQueued(via: Redis): void {
    const queued = this.queued.get(via) ?? [];
    this.queued.delete(via);
    for (let i = 0; i < queued.length; i += this.opts.maxBatch) {
      const batch = queued.slice(i, i + this.opts.maxBatch);
      const reply = this.appendOn(
        via,
        batch.map((p) => p.entry),
      );
      for (const p of batch) p.written();
      reply.then(
        (states) => {
          batch.forEach((p, j) => {
            p.resolve(states[j] === 1 ? 'published' : 'duplicate');
          });
        },
        () => {
          for (const p of batch) this.retry(p);
        },
      );
    }
  }

  private async retry(p: Pending): Promise<void> {
    let err: unknown;
    for (let attempt = 1; attempt <= APPEND_RETRIES; attempt++) {
      await sleep(Math.min(5_000, 50 * 2 ** attempt));
      try {
        const [state] = await this.appendOn(this.redis, [p.entry]);
        p.resolve(state === 1 ? 'published' : 'duplicate');
        return;
      } catch (again) {
        err = again;
      }
    }
    p.reject(err);
  }

  /** Sends the script at once (the command is on the connection when this returns). */
  private appendOn(redis: Redis, entries: OutboxEntry[]): Promise<number[]> {
    // defineCommand sends EVALSHA and falls back to EVAL when Redis lacks the script.
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: APPEND });
    const args: Array<string | Buffer | number> = [entries.length + 1, this.opts.stream];
    for (const e of entries) args.push(this.markerKey(e.requestId));
    args.push(this.opts.markerTtlMs);
    for (const e of entries) args.push(packEntry(e));
    const append = (redis as unknown as Record<string, AppendCommand>)[COMMAND]!;
    return append.apply(redis, args);
  }
}
