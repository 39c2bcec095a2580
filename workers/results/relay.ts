import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { createLogger } from '../../infra/log.ts';
import type { IHeaders, Message, Producer } from '../../pipeline/kafka/client.ts';
import { poolMetrics } from '../pool/metrics.ts';
import { ENTRY_FIELD, unpackEntry } from './outbox.ts';

// Carries the result outbox to Kafka: a consumer group over the outbox stream, so every pool
// process relays and each entry goes to one of them. A batch is acknowledged and deleted only
// after Kafka acknowledged it; a failed produce is tried again with the same entries. Entries a
// relay read but never acknowledged (its process died) are taken over by another relay once idle
// for `claimIdleMs`. The one window left: a relay that dies after Kafka's acknowledgement and
// before its own leaves entries that are relayed again (at least once; the key is the request id).

const log = createLogger('results.relay');

export interface RelayOptions {
  stream: string;
  group: string;
  /** This relay's consumer name in the group (unique per process). */
  consumer: string;
  /** Entries per Kafka produce request at most. */
  maxBatch: number;
  /** Entries another relay read but did not acknowledge for this long are taken over. */
  claimIdleMs: number;
  /** How long one read waits for new entries; bounds how long `stop()` takes. */
  blockMs?: number;
}

interface RelayEntry {
  id: string;
  topic: string;
  message: Message;
}

type RawEntry = [Buffer, Buffer[] | null];

const MAX_BACKOFF_MS = 5_000;
/**
 * Pause after a batch smaller than `maxBatch`, so that under load the next one is larger: each
 * produce request, stream read and acknowledgement costs the same for 10 entries as for 300.
 */
const LINGER_MS = 5;
/** A consumer with nothing pending and idle this many claim periods is removed from the group. */
const DEAD_CONSUMER_PERIODS = 10;

function parseEntry([id, fields]: RawEntry): RelayEntry | null {
  if (!fields) return null; // deleted since it was read
  let packed: Buffer | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2)
    if (fields[i]!.toString() === ENTRY_FIELD) packed = fields[i + 1];
  if (!packed) return null;
  const e = unpackEntry(packed);
  const headers: IHeaders = {};
  if (e.traceparent) headers.traceparent = e.traceparent;
  if (e.tracestate) headers.tracestate = e.tracestate;
  return { id: id.toString(), topic: e.topic, message: { key: e.requestId, value: e.value, headers } };
}

export class ResultRelay {
  private running: Promise<void> | undefined;
  private stopping = false;
  private lastReclaim = Number.NEGATIVE_INFINITY;
  private reclaimCursor = '0-0';
  private readonly metrics = poolMetrics();
  /** Outcomes this relay had acknowledged by Kafka. */
  relayedCount = 0;

  /**
   * `reader` blocks on the stream and must be a connection of its own; `writer` acknowledges and
   * takes over entries.
   */
  constructor(
    private readonly reader: Redis,
    private readonly writer: Redis,
    private readonly producer: Producer,
    private readonly opts: RelayOptions,
  ) {}

  async start(): Promise<void> {
    try {
      // From the stream's start: entries appended before any relay existed are relayed too.
      await this.writer.xgroup('CREATE', this.opts.stream, this.opts.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!/BUSYGROUP/.test((err as Error).message)) throw err;
    }
    this.running = this.loop();
  }

  /** Relays what the stream holds now, then stops (a batch Kafka refuses stays for another relay). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    for (;;) {
      let batch: { entries: RelayEntry[]; reclaimed: boolean };
      try {
        batch = await this.next();
        backoff = 100;
      } catch (err) {
        if (this.stopping) return;
        log.warn({ err: (err as Error).message }, 'reading the result outbox failed; retrying');
        await sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        continue;
      }
      if (batch.entries.length === 0) {
        if (this.stopping) return;
        continue;
      }
      if (!(await this.deliver(batch.entries, batch.reclaimed))) return;
      if (batch.entries.length < this.opts.maxBatch && !this.stopping) await sleep(LINGER_MS);
    }
  }

  /** Taken-over entries first (once per half claim period), else new ones. */
  private async next(): Promise<{ entries: RelayEntry[]; reclaimed: boolean }> {
    const now = Date.now();
    if (now - this.lastReclaim >= this.opts.claimIdleMs / 2) {
      this.lastReclaim = now;
      const entries = await this.reclaim();
      if (entries.length > 0) return { entries, reclaimed: true };
    }
    const { stream, group, consumer, maxBatch } = this.opts;
    const block = this.stopping ? [] : ['BLOCK', this.opts.blockMs ?? 1_000];
    // callBuffer: the values are Avro bytes (ioredis types no Buffer variant of XREADGROUP).
    const res = (await this.reader.callBuffer(
      'XREADGROUP',
      'GROUP',
      group,
      consumer,
      'COUNT',
      maxBatch,
      ...block,
      'STREAMS',
      stream,
      '>',
    )) as Array<[Buffer, RawEntry[]]> | null;
    const raw = res?.[0]?.[1] ?? [];
    return { entries: raw.map(parseEntry).filter((e): e is RelayEntry => e !== null), reclaimed: false };
  }

  private async reclaim(): Promise<RelayEntry[]> {
    const { stream, group, consumer, claimIdleMs, maxBatch } = this.opts;
    const [cursor, raw] = (await this.writer.callBuffer(
      'XAUTOCLAIM',
      stream,
      group,
      consumer,
      claimIdleMs,
      this.reclaimCursor,
      'COUNT',
      maxBatch,
    )) as [Buffer, RawEntry[]];
    this.reclaimCursor = cursor.toString();
    if (this.reclaimCursor === '0-0') void this.forgetDeadConsumers().catch(() => {});
    const entries = raw.map(parseEntry).filter((e): e is RelayEntry => e !== null);
    if (entries.length > 0)
      log.warn({ count: entries.length }, 'relaying outcomes a stopped relay left behind');
    return entries;
  }

  /** Sends one batch until Kafka takes it; false when stopping made it give up (entries stay pending). */
  private async deliver(entries: RelayEntry[], reclaimed: boolean): Promise<boolean> {
    const byTopic = new Map<string, Message[]>();
    for (const e of entries) {
      const list = byTopic.get(e.topic);
      if (list) list.push(e.message);
      else byTopic.set(e.topic, [e.message]);
    }
    const ids = entries.map((e) => e.id);
    let backoff = 100;
    for (;;) {
      try {
        await this.producer.sendBatch({
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        break;
      } catch (err) {
        this.metrics.relayFailures.inc();
        log.warn(
          { err: (err as Error).message, count: ids.length },
          'relaying outcomes to Kafka failed; retrying',
        );
        if (this.stopping) return false;
        // Keeps the entries ours: without it another relay would take them over while we retry.
        await this.writer
          .xclaim(this.opts.stream, this.opts.group, this.opts.consumer, 0, ...ids, 'JUSTID')
          .catch(() => {});
        await sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
    this.relayedCount += entries.length;
    this.metrics.relayed.inc({ reclaimed: String(reclaimed) }, entries.length);
    try {
      const res =
        (await this.writer
          .pipeline()
          .xack(this.opts.stream, this.opts.group, ...ids)
          .xdel(this.opts.stream, ...ids)
          .exec()) ?? [];
      for (const [err] of res) if (err) throw err;
    } catch (err) {
      // They stay pending and are relayed once more after `claimIdleMs`: a duplicate, never a loss.
      log.warn({ err: (err as Error).message, count: ids.length }, 'acknowledging relayed outcomes failed');
    }
    return true;
  }

  private async forgetDeadConsumers(): Promise<void> {
    const { stream, group, consumer, claimIdleMs } = this.opts;
    const rows = (await this.writer.xinfo('CONSUMERS', stream, group)) as unknown[][];
    for (const row of rows) {
      const info: Record<string, unknown> = {};
      for (let i = 0; i + 1 < row.length; i += 2) info[String(row[i])] = row[i + 1];
      const name = String(info.name);
      if (name === consumer || Number(info.pending) > 0) continue;
      if (Number(info.idle) > claimIdleMs * DEAD_CONSUMER_PERIODS)
        await this.writer.xgroup('DELCONSUMER', stream, group, name);
    }
  }
}
