import { Redis } from 'ioredis';
import type { RedlineConfig } from '../../../infra/config/schema.ts';
import type { Tier } from '../../../schemas/types.ts';
import { RedlineError } from '../../errors.ts';
import type { BatchLine, BatchSummary } from './output.ts';

// A batch's state in Redis, under `<topic prefix>batch:<id>:`:
//   meta      hash: what the batch is (input path and hash, out path, model, tier, tenant, total)
//   sent      how many input lines were sent (advanced after each acknowledged send chunk)
//   outcomes  hash index → BatchLine JSON, written with HSETNX so a duplicate never changes it
//   lock      the process running the batch (expires, so a crashed run frees it)
// The bearer token is never stored: a resume gets it again from the caller.

/** Kept this long after the last update, so finished or abandoned batches clean themselves up. */
const TTL_SECONDS = 7 * 24 * 3600;

export interface BatchMeta {
  batchId: string;
  /** Absolute path of the input file. */
  input: string;
  /** SHA-256 of the input file, to refuse resuming a changed file. */
  inputHash: string;
  /** Absolute path of the output file. */
  out: string;
  model: string | null;
  tier: Tier;
  tenant: string;
  total: number;
  createdAt: number;
  status: 'running' | 'complete';
  summary: BatchSummary | null;
}

export interface BatchCounts {
  total: number;
  sent: number;
  done: number;
}

// Compare-and-act on the lock, so a run never extends or frees a lock another run took over.
const REFRESH_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

const BATCH_ID = /^[A-Za-z0-9._:-]{1,80}$/;

export class BatchStore {
  private readonly key: { meta: string; sent: string; outcomes: string; lock: string };

  constructor(
    private readonly redis: Redis,
    prefix: string,
    readonly batchId: string,
  ) {
    if (!BATCH_ID.test(batchId)) {
      throw new RedlineError('INVALID_REQUEST', 'batch id: letters, digits and . _ : - only, at most 80');
    }
    const base = `${prefix}batch:${batchId}:`;
    this.key = { meta: `${base}meta`, sent: `${base}sent`, outcomes: `${base}outcomes`, lock: `${base}lock` };
  }

  /** Records a new batch; BATCH_EXISTS when the id is taken. */
  async create(meta: BatchMeta): Promise<void> {
    const fields = {
      batchId: meta.batchId,
      input: meta.input,
      inputHash: meta.inputHash,
      out: meta.out,
      model: meta.model ?? '',
      tier: meta.tier,
      tenant: meta.tenant,
      total: String(meta.total),
      createdAt: String(meta.createdAt),
      status: meta.status,
    };
    // HSETNX on one field claims the id atomically; the rest follows.
    const claimed = await this.redis.hsetnx(this.key.meta, 'batchId', meta.batchId);
    if (claimed !== 1) throw new RedlineError('BATCH_EXISTS', `batch ${meta.batchId} already exists`);
    await this.redis
      .multi()
      .hset(this.key.meta, fields)
      .set(this.key.sent, '0')
      .expire(this.key.meta, TTL_SECONDS)
      .expire(this.key.sent, TTL_SECONDS)
      .exec();
  }

  /** The batch's meta; BATCH_NOT_FOUND when there is none (never created, or expired). */
  async meta(): Promise<BatchMeta> {
    const h = await this.redis.hgetall(this.key.meta);
    if (!h.batchId || !h.total) {
      throw new RedlineError('BATCH_NOT_FOUND', `no batch ${this.batchId} (never created, or expired)`);
    }
    return {
      batchId: h.batchId,
      input: h.input ?? '',
      inputHash: h.inputHash ?? '',
      out: h.out ?? '',
      model: h.model ? h.model : null,
      tier: (h.tier ?? 'batch') as Tier,
      tenant: h.tenant ?? '',
      total: Number(h.total),
      createdAt: Number(h.createdAt),
      status: h.status === 'complete' ? 'complete' : 'running',
      summary: h.summary ? (JSON.parse(h.summary) as BatchSummary) : null,
    };
  }

  async counts(): Promise<BatchCounts> {
    const [[, total], [, sent], [, done]] = (await this.redis
      .multi()
      .hget(this.key.meta, 'total')
      .get(this.key.sent)
      .hlen(this.key.outcomes)
      .exec()) as [[Error | null, string | null], [Error | null, string | null], [Error | null, number]];
    return { total: Number(total ?? 0), sent: Number(sent ?? 0), done };
  }

  /**
   * After a send chunk was acknowledged: lines [0, sentUpTo) are sent, and the chunk's invalid
   * lines have their outcome. One transaction, so the two never disagree.
   */
  async markSent(sentUpTo: number, invalid: BatchLine[]): Promise<void> {
    const tx = this.redis.multi();
    for (const line of invalid) tx.hsetnx(this.key.outcomes, String(line.index), JSON.stringify(line));
    tx.set(this.key.sent, String(sentUpTo));
    this.touch(tx);
    await tx.exec();
  }

  /** Keeps the first outcome of each index; returns how many were new. */
  async recordOutcomes(lines: BatchLine[]): Promise<number> {
    if (lines.length === 0) return 0;
    const tx = this.redis.multi();
    for (const line of lines) tx.hsetnx(this.key.outcomes, String(line.index), JSON.stringify(line));
    this.touch(tx);
    const replies = (await tx.exec()) ?? [];
    return replies.slice(0, lines.length).filter(([, added]) => added === 1).length;
  }

  async outcomes(): Promise<Map<number, BatchLine>> {
    const h = await this.redis.hgetall(this.key.outcomes);
    return new Map(Object.entries(h).map(([index, json]) => [Number(index), JSON.parse(json) as BatchLine]));
  }

  async complete(summary: BatchSummary): Promise<void> {
    const tx = this.redis
      .multi()
      .hset(this.key.meta, { status: 'complete', summary: JSON.stringify(summary) });
    this.touch(tx);
    await tx.exec();
  }

  /** Takes the batch for `owner`; BATCH_BUSY when another run holds it (two runs would both send). */
  async lock(owner: string, ttlMs: number): Promise<void> {
    if ((await this.redis.set(this.key.lock, owner, 'PX', ttlMs, 'NX')) !== 'OK') {
      throw new RedlineError(
        'BATCH_BUSY',
        `batch ${this.batchId} is being run by another process (or one that stopped less than ${Math.ceil(ttlMs / 1000)} s ago)`,
      );
    }
  }

  /** Extends `owner`'s lock; false when it was lost (expired and taken by another run). */
  async refreshLock(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(REFRESH_LOCK, 1, this.key.lock, owner, String(ttlMs))) === 1;
  }

  async unlock(owner: string): Promise<void> {
    await this.redis.eval(RELEASE_LOCK, 1, this.key.lock, owner);
  }

  private touch(tx: ReturnType<Redis['multi']>): void {
    for (const key of [this.key.meta, this.key.sent, this.key.outcomes]) tx.expire(key, TTL_SECONDS);
  }
}

function connectRedis(config: RedlineConfig): Redis {
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3 });
  // Failures reach the caller through the rejected commands; the event would only add noise.
  redis.on('error', () => {});
  return redis;
}

/** Where Redis is, without credentials (safe to print). */
function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** Runs `fn` with a store on its own Redis connection; REDIS_UNAVAILABLE when Redis does not answer. */
export async function withBatchStore<T>(
  config: RedlineConfig,
  batchId: string,
  fn: (store: BatchStore) => Promise<T>,
): Promise<T> {
  const redis = connectRedis(config);
  try {
    return await fn(new BatchStore(redis, config.topics.prefix, batchId));
  } catch (err) {
    // ioredis does not export this error class from its entry point; its name is stable.
    if (err instanceof Error && err.name === 'MaxRetriesPerRequestError') {
      throw new RedlineError(
        'REDIS_UNAVAILABLE',
        `cannot reach Redis at ${redisWhere(config.redis.url)} (batch state lives there)`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    redis.disconnect();
  }
}
