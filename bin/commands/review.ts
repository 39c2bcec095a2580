import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { loadConfig } from '../../infra/config/load.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { RedlineError } from '../../pipeline/errors.ts';
import { createKafka, type IHeaders, type Kafka } from '../../pipeline/kafka/client.ts';
import { recordConfirmedAttack } from '../../pipeline/sanitize/confirmed-attacks.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { ClearedRequest, Rejection } from '../../schemas/types.ts';

// `redline review`: the operator's queue of quarantined requests (the detector's grey zone).
// The quarantine topic is the source of truth for what is waiting; decisions live in a Redis hash
// (`<prefix>review:decisions`, request id → decision) so a reviewed request is not listed again
// and cannot be released or confirmed twice, even by two operators at once.
//
// A decision is claimed atomically first, then carried out (produce to `cleared`, or produce a
// Rejection and add the prompt to the sanitize fingerprint corpus), then marked done. If carrying
// it out fails, the claim is withdrawn; if the process dies in between, the claim goes stale after
// CLAIM_STALE_MS and the request is listed again as interrupted (the same decision can then be
// retried; a release produced twice is harmless, enqueue is idempotent on the request id).

export const CLAIM_STALE_MS = 60_000;
const READ_TIMEOUT_MS = 30_000;

export type ReviewAction = 'release' | 'confirm';

export interface Decision {
  action: ReviewAction;
  state: 'claimed' | 'done';
  by: string;
  at: number;
  token: string;
}

export interface QuarantinedRequest {
  record: ClearedRequest;
  headers: IHeaders;
  partition: number;
  offset: string;
  quarantinedAt: number;
  /** A decision was claimed earlier but never completed (the reviewing process died). */
  interrupted?: Decision;
}

export interface QuarantineRead {
  /** Latest record per request id, in quarantine order. */
  records: Map<string, QuarantinedRequest>;
  /** False when the end of some partition was not reached within the timeout. */
  complete: boolean;
  undecodable: number;
}

/** Reads the quarantine topic from the beginning to its current end (read_committed, no offsets committed). */
export async function readQuarantine(
  config: RedlineConfig,
  options: { kafka?: Kafka; timeoutMs?: number } = {},
): Promise<QuarantineRead> {
  const kafka = options.kafka ?? createKafka(config);
  const topic = topicName(config, 'quarantine');
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      throw new RedlineError(
        'REVIEW_NO_TOPIC',
        `the quarantine topic ${topic} does not exist (create it: redline topics create)`,
      );
    }
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
  const read: QuarantineRead = { records: new Map(), complete: true, undecodable: 0 };
  if (ends.size === 0) return read;

  const codec = codecFor('ClearedRequest');
  // A throwaway group that never commits: listing leaves no trace in Kafka.
  const consumer = kafka.consumer({
    groupId: `${config.topics.prefix}review.${randomUUID()}`,
    readUncommitted: false,
  });
  const remaining = new Set(ends.keys());
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  // END_BATCH_PROCESS also fires for batches holding only transaction markers, which is how a
  // partition written by the (transactional) stage runner reaches its end.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const end = ends.get(payload.partition);
    if (end !== undefined && BigInt(payload.lastOffset) >= end - 1n) remaining.delete(payload.partition);
    if (remaining.size === 0) finished();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const end = ends.get(partition);
        if (end === undefined || BigInt(message.offset) >= end) return; // arrived after we started
        try {
          const record = codec.decode(message.value);
          read.records.delete(record.requestId); // keep the latest, in order
          read.records.set(record.requestId, {
            record,
            headers: message.headers ?? {},
            partition,
            offset: message.offset,
            quarantinedAt: Number(message.timestamp),
          });
        } catch {
          read.undecodable++;
        }
      },
    });
    const timer = new Promise<void>((resolve) =>
      setTimeout(resolve, options.timeoutMs ?? READ_TIMEOUT_MS).unref(),
    );
    await Promise.race([done, timer]);
    read.complete = remaining.size === 0;
  } finally {
    await consumer.disconnect();
  }
  return read;
}

/** Claims, completes and withdraws decisions atomically (Lua, kept beside its caller as BullMQ does). */
export class ReviewDecisions {
  readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}review:decisions`;
  }

  async all(): Promise<Map<string, Decision>> {
    const raw = await this.redis.hgetall(this.key);
    return new Map(Object.entries(raw).map(([id, json]) => [id, JSON.parse(json) as Decision]));
  }

  /**
   * Records a claim unless a decision exists; a stale claim of the same action may be retaken.
   * Returns the claim, or throws REVIEW_ALREADY_DECIDED with the existing decision.
   */
  async claim(requestId: string, action: ReviewAction, by: string, now = Date.now()): Promise<Decision> {
    const decision: Decision = { action, state: 'claimed', by, at: now, token: randomUUID() };
    const existing = (await this.redis.eval(
      CLAIM_LUA,
      1,
      this.key,
      requestId,
      JSON.stringify(decision),
      action,
      String(now - CLAIM_STALE_MS),
    )) as string | null;
    if (existing !== null) {
      const d = JSON.parse(existing) as Decision;
      throw new RedlineError(
        'REVIEW_ALREADY_DECIDED',
        `${requestId} was already ${d.state === 'done' ? '' : 'being '}${d.action === 'release' ? 'released' : 'confirmed as an attack'} by ${d.by} at ${new Date(d.at).toISOString()}`,
      );
    }
    return decision;
  }

  async complete(requestId: string, claim: Decision): Promise<void> {
    const done: Decision = { ...claim, state: 'done', at: Date.now() };
    await this.redis.eval(SWAP_IF_TOKEN_LUA, 1, this.key, requestId, claim.token, JSON.stringify(done));
  }

  async withdraw(requestId: string, claim: Decision): Promise<void> {
    await this.redis.eval(SWAP_IF_TOKEN_LUA, 1, this.key, requestId, claim.token, '');
  }
}

// KEYS[1] decisions hash; ARGV: request id, new decision JSON, action, stale-before (ms).
// Returns nil when claimed, else the existing decision.
const CLAIM_LUA = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local d = cjson.decode(current)
  if not (d.state == 'claimed' and d.action == ARGV[3] and tonumber(d.at) < tonumber(ARGV[4])) then
    return current
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return nil
`;

// KEYS[1] decisions hash; ARGV: request id, claim token, replacement JSON ('' deletes).
const SWAP_IF_TOKEN_LUA = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or cjson.decode(current).token ~= ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
return 1
`;

export interface ReviewContext {
  config: RedlineConfig;
  redis: Redis;
  kafka?: Kafka;
  /** The operator, recorded with each decision. */
  by?: string;
  timeoutMs?: number;
}

/** Quarantined requests with no decision (or an interrupted one), oldest first. */
export async function listPending(
  ctx: ReviewContext,
): Promise<{ pending: QuarantinedRequest[]; complete: boolean }> {
  const [read, decisions] = await Promise.all([
    readQuarantine(ctx.config, { kafka: ctx.kafka, timeoutMs: ctx.timeoutMs }),
    new ReviewDecisions(ctx.redis, ctx.config.topics.prefix).all(),
  ]);
  const staleBefore = Date.now() - CLAIM_STALE_MS;
  const pending: QuarantinedRequest[] = [];
  for (const [id, q] of read.records) {
    const d = decisions.get(id);
    if (!d) pending.push(q);
    else if (d.state === 'claimed' && d.at < staleBefore) pending.push({ ...q, interrupted: d });
  }
  return { pending, complete: read.complete };
}

async function findQuarantined(ctx: ReviewContext, requestId: string): Promise<QuarantinedRequest> {
  const read = await readQuarantine(ctx.config, { kafka: ctx.kafka, timeoutMs: ctx.timeoutMs });
  const found = read.records.get(requestId);
  if (!found) {
    throw new RedlineError(
      'REVIEW_NOT_FOUND',
      `no quarantined request ${requestId} in ${topicName(ctx.config, 'quarantine')}` +
        (read.complete ? '' : ' (the topic could not be read to its end; try again)'),
    );
  }
  return found;
}

async function produce(
  ctx: ReviewContext,
  topic: string,
  message: { key: string; value: Buffer; headers: IHeaders },
) {
  const producer = (ctx.kafka ?? createKafka(ctx.config)).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [message] });
  } finally {
    await producer.disconnect();
  }
}

/** Carries out a decision under a claim: withdraws the claim if it fails, marks it done if it succeeds. */
async function decide(
  ctx: ReviewContext,
  requestId: string,
  action: ReviewAction,
  carryOut: (q: QuarantinedRequest) => Promise<void>,
): Promise<QuarantinedRequest> {
  const quarantined = await findQuarantined(ctx, requestId);
  const decisions = new ReviewDecisions(ctx.redis, ctx.config.topics.prefix);
  const claim = await decisions.claim(requestId, action, ctx.by ?? operatorName());
  try {
    await carryOut(quarantined);
  } catch (err) {
    await decisions.withdraw(requestId, claim);
    throw err;
  }
  await decisions.complete(requestId, claim);
  return quarantined;
}

/** Releases a quarantined request: the record continues to `cleared` (and on to the queue) unchanged. */
export function releaseRequest(ctx: ReviewContext, requestId: string): Promise<QuarantinedRequest> {
  return decide(ctx, requestId, 'release', async (q) => {
    await produce(ctx, topicName(ctx.config, 'cleared'), {
      key: requestId,
      value: codecFor('ClearedRequest').encode(q.record),
      headers: { ...q.headers, 'redline-review': 'released' }, // trace context travels on
    });
  });
}

/** Confirms a quarantined request as an attack: a Rejection, and its normalised text joins the fingerprint corpus. */
export function confirmAttack(ctx: ReviewContext, requestId: string): Promise<QuarantinedRequest> {
  return decide(ctx, requestId, 'confirm', async (q) => {
    await recordConfirmedAttack(ctx.redis, ctx.config.topics.prefix, q.record.normalizedPrompt);
    const rejection: Rejection = {
      requestId,
      tenant: q.record.tenant,
      stage: 'review',
      code: 'INJECTION_CONFIRMED',
      detail: 'confirmed as a prompt injection by an operator review',
      batchId: q.record.batchId,
      batchIndex: q.record.batchIndex,
      rejectedAt: Date.now(),
    };
    await produce(ctx, topicName(ctx.config, 'rejected'), {
      key: requestId,
      value: codecFor('Rejection').encode(rejection),
      headers: { ...q.headers, 'redline-review': 'confirmed' },
    });
  });
}

function operatorName(): string {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

// Prompts are attacker-controlled: before one reaches the operator's terminal, control characters
// (C0, DEL, C1 such as U+009B, a one-byte CSI), bidi overrides and zero-width characters are shown
// as \uXXXX escapes, so a prompt cannot rewrite the screen or disguise itself.
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

export interface ListedRequest {
  requestId: string;
  tenant: string;
  model: string;
  score: number;
  modelVersion: string;
  findings: string[];
  quarantinedAt: string;
  interrupted: string | null;
  prompt: string;
}

export function describeQuarantined(q: QuarantinedRequest): ListedRequest {
  const r = q.record;
  return {
    requestId: r.requestId,
    tenant: r.tenant,
    model: r.model,
    score: r.detection.score,
    modelVersion: r.detection.modelVersion,
    findings: r.findings.map((f) => `${f.code}${f.ruleId ? `/${f.ruleId}` : ''}(${f.severity})`),
    quarantinedAt: new Date(q.quarantinedAt).toISOString(),
    interrupted: q.interrupted ? `${q.interrupted.action} by ${q.interrupted.by} never completed` : null,
    prompt: r.renderedPrompt,
  };
}

export function formatListing(items: ListedRequest[], promptChars: number): string {
  if (items.length === 0) return 'no quarantined requests are waiting for review';
  const lines = [`${items.length} quarantined request(s) waiting for review (oldest first):`, ''];
  for (const i of items) {
    lines.push(
      `${terminalSafe(i.requestId)}  tenant=${terminalSafe(i.tenant)}  model=${terminalSafe(i.model)}  ` +
        `score=${i.score.toFixed(3)} (${terminalSafe(i.modelVersion)})  quarantined=${i.quarantinedAt}`,
    );
    lines.push(`  findings: ${i.findings.length ? terminalSafe(i.findings.join(', ')) : 'none'}`);
    if (i.interrupted) lines.push(`  interrupted: ${terminalSafe(i.interrupted)}`);
    lines.push(`  prompt: ${terminalSafe(JSON.stringify(clip(i.prompt, promptChars)))}`, '');
  }
  return lines.join('\n');
}

interface CommonFlags {
  config?: string;
  by?: string;
}

async function withContext<T>(flags: CommonFlags, fn: (ctx: ReviewContext) => Promise<T>): Promise<T> {
  const config = loadConfig({ file: flags.config });
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 2, lazyConnect: true });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new RedlineError(
      'REVIEW_REDIS',
      `cannot reach Redis at ${config.redis.url}: ${(err as Error).message}`,
    );
  }
  try {
    return await fn({ config, redis, by: flags.by });
  } finally {
    redis.disconnect();
  }
}

export function register(program: Command): void {
  const review = program
    .command('review')
    .description(
      'review quarantined requests: list them, release one to the queue, or confirm it as an attack',
    );
  const common = (cmd: Command) =>
    cmd.option(
      '-c, --config <file>',
      'config file (default: redline.config.yaml|yml|json, or $REDLINE_CONFIG)',
    );

  common(review.command('list'))
    .description('list quarantined requests waiting for a decision, with their prompts (shown only here)')
    .option('--json', 'one JSON object per line instead of text')
    .option('--prompt-chars <n>', 'show at most this many characters of each prompt (text output)', '500')
    .action(async (flags: CommonFlags & { json?: boolean; promptChars: string }) => {
      await withContext(flags, async (ctx) => {
        const { pending, complete } = await listPending(ctx);
        const items = pending.map(describeQuarantined);
        if (flags.json) for (const i of items) console.log(terminalSafe(JSON.stringify(i)));
        else console.log(formatListing(items, Math.max(1, Number.parseInt(flags.promptChars, 10) || 500)));
        if (!complete)
          console.error('warning: the quarantine topic could not be read to its end; the list may be short');
      });
    });

  common(review.command('release'))
    .description('release a quarantined request: it continues to the cleared topic and on to the queue')
    .argument('<requestId>', 'the request id, as listed')
    .option('--by <operator>', 'who decided (recorded with the decision; default $USER)')
    .action(async (requestId: string, flags: CommonFlags) => {
      await withContext(flags, async (ctx) => {
        await releaseRequest(ctx, requestId);
        console.log(`released ${requestId} to ${topicName(ctx.config, 'cleared')}`);
      });
    });

  common(review.command('confirm'))
    .description(
      'confirm a quarantined request as an attack: rejected (INJECTION_CONFIRMED), fingerprint kept',
    )
    .argument('<requestId>', 'the request id, as listed')
    .option('--by <operator>', 'who decided (recorded with the decision; default $USER)')
    .action(async (requestId: string, flags: CommonFlags) => {
      await withContext(flags, async (ctx) => {
        await confirmAttack(ctx, requestId);
        console.log(
          `confirmed ${requestId} as an attack: rejected with INJECTION_CONFIRMED; its fingerprint joins the sanitize corpus`,
        );
      });
    });
}
