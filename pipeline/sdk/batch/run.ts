import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedlineConfig } from '../../../infra/config/schema.ts';
import { codecFor } from '../../../schemas/codec.ts';
import type { Tier } from '../../../schemas/types.ts';
import { RedlineError } from '../../errors.ts';
import { createKafka, type Message, Partitioners } from '../../kafka/client.ts';
import { topicName } from '../../topics.ts';
import { toInferenceRequest } from '../request-schema.ts';
import {
  type Collector,
  deleteCollectorGroup,
  outcomeTopicEnds,
  startCollector,
  type TopicPartitionOffset,
} from './collector.ts';
import { newBatchId, readBatchInput } from './input.ts';
import { type BatchDefaults, parseBatchLine } from './lines.ts';
import { assembleOutput, type BatchLine, type BatchSummary, invalidLine, summarise } from './output.ts';
import { type BatchCounts, type BatchMeta, type BatchStore, withBatchStore } from './store.ts';

// Runs a batch: send the unsent lines in acknowledged chunks, collect outcomes, write the output
// file in input order. Interruptible (AbortSignal) and resumable from the state in Redis.

export interface BatchProgress extends BatchCounts {
  batchId: string;
  phase: 'sending' | 'waiting';
}

export interface BatchRunOptions {
  config: RedlineConfig;
  /** The bearer token every request carries; never stored (a resume passes it again). */
  token?: string | null;
  /** Aborting stops sending after the chunk in flight, saves the state and returns `interrupted`. */
  signal?: AbortSignal;
  onProgress?(progress: BatchProgress): void;
  /** Fail with BATCH_WAIT_TIMEOUT when nothing was sent and no outcome arrived for this long. */
  waitTimeoutMs?: number;
  /** Lines per send; `sent` advances once a chunk is acknowledged. */
  chunkSize?: number;
  pollMs?: number;
}

export interface NewBatch {
  input: string;
  out: string;
  tenant: string;
  /** For lines that name no model. */
  model?: string | null;
  tier?: Tier;
  /** Default: a new time-ordered id. */
  batchId?: string;
}

export type BatchRunResult =
  | { status: 'complete'; batchId: string; out: string; summary: BatchSummary }
  | { status: 'interrupted'; batchId: string; counts: BatchCounts };

export const DEFAULT_WAIT_TIMEOUT_MS = 120_000;
const DEFAULT_CHUNK = 200;
/** How long a run's lock outlives it: a resume after a crash waits at most this long. */
const LOCK_TTL_MS = 15_000;

/** Starts a new batch from a JSONL (or plain-text) file and runs it to completion or interruption. */
export async function submitBatch(spec: NewBatch, options: BatchRunOptions): Promise<BatchRunResult> {
  const batchId = spec.batchId ?? newBatchId();
  // The batch-wide fields are checked once, up front, rather than failing every line.
  toInferenceRequest({
    tenant: spec.tenant,
    model: spec.model ?? 'per-line',
    prompt: '',
    priorityHint: spec.tier ?? 'batch',
    batchId,
  });
  const input = await readBatchInput(spec.input);
  return withBatchStore(options.config, batchId, async (store) => {
    const meta: BatchMeta = {
      batchId,
      input: input.path,
      inputHash: input.hash,
      out: resolve(spec.out),
      model: spec.model ?? null,
      tier: spec.tier ?? 'batch',
      tenant: spec.tenant,
      total: input.lines.length,
      createdAt: Date.now(),
      status: 'running',
      summary: null,
    };
    await store.create(meta);
    // Before anything is sent, so no outcome of this batch can precede the collector's start.
    const startAt = await outcomeTopicEnds(options.config);
    return runBatch(store, meta, input.lines, options, startAt);
  });
}

/** Continues a batch: sends only what was not sent, collects from the committed offsets on. */
export async function resumeBatch(batchId: string, options: BatchRunOptions): Promise<BatchRunResult> {
  return withBatchStore(options.config, batchId, async (store) => {
    const meta = await store.meta();
    const input = await readBatchInput(meta.input);
    if (input.hash !== meta.inputHash || input.lines.length !== meta.total) {
      throw new RedlineError(
        'BATCH_INPUT_CHANGED',
        `${meta.input} changed since batch ${batchId} started; resuming would mix two inputs`,
      );
    }
    return runBatch(store, meta, input.lines, options);
  });
}

async function writeOutput(path: string, lines: string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Written beside the target and renamed, so a reader never sees half a file.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  await rename(tmp, path);
}

async function finish(store: BatchStore, meta: BatchMeta): Promise<BatchRunResult> {
  const outcomes = await store.outcomes();
  await writeOutput(meta.out, assembleOutput(meta.total, outcomes));
  const summary = summarise(meta.total, outcomes.values());
  await store.complete(summary);
  return { status: 'complete', batchId: meta.batchId, out: meta.out, summary };
}

async function runBatch(
  store: BatchStore,
  meta: BatchMeta,
  lines: string[],
  options: BatchRunOptions,
  startAt: TopicPartitionOffset[] = [],
): Promise<BatchRunResult> {
  const { config, signal } = options;
  // A finished batch's group is gone; its outcomes are all in the store.
  if (meta.status === 'complete') return finish(store, meta);

  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const waitTimeoutMs = options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? 250;
  const defaults: BatchDefaults = {
    batchId: meta.batchId,
    tenant: meta.tenant,
    model: meta.model,
    tier: meta.tier,
    token: options.token ?? null,
  };
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  await store.lock(owner, LOCK_TTL_MS);
  let lockedAt = Date.now();
  const keepLock = async () => {
    if (Date.now() - lockedAt < LOCK_TTL_MS / 3) return;
    if (!(await store.refreshLock(owner, LOCK_TTL_MS))) {
      throw new RedlineError('BATCH_BUSY', `batch ${meta.batchId}: lost its lock to another run; stopping`);
    }
    lockedAt = Date.now();
  };
  let lastProgressAt = Date.now();
  const report = (counts: BatchCounts, phase: BatchProgress['phase']) =>
    options.onProgress?.({ ...counts, batchId: meta.batchId, phase });

  // Joined before the first send: on a new batch the group starts at the topics' ends, on a
  // resume at its committed offsets, so no outcome is missed either way.
  let collector: Collector | undefined;
  // The default partitioner named explicitly: same keys → same partitions as Java clients, no warning.
  const producer = createKafka(config, { clientId: 'redline-batch' }).producer({
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const codec = codecFor('InferenceRequest');
  const topic = topicName(config, 'requests');
  try {
    try {
      collector = await startCollector(
        config,
        meta.batchId,
        meta.total,
        async (found) => {
          if ((await store.recordOutcomes(found)) > 0) lastProgressAt = Date.now();
        },
        startAt,
      );
      await producer.connect();
      let counts = await store.counts();
      report(counts, 'sending');
      while (counts.sent < meta.total && !signal?.aborted) {
        await keepLock();
        const end = Math.min(meta.total, counts.sent + chunkSize);
        const messages: Message[] = [];
        const invalid: BatchLine[] = [];
        for (let i = counts.sent; i < end; i++) {
          const parsed = parseBatchLine(lines[i]!, i, defaults, Date.now());
          if (parsed.kind === 'request') {
            messages.push({ key: parsed.request.requestId, value: codec.encode(parsed.request) });
          } else invalid.push(invalidLine(i, parsed.requestId, parsed.detail));
        }
        if (messages.length > 0) await producer.send({ topic, messages });
        await store.markSent(end, invalid);
        lastProgressAt = Date.now();
        counts = await store.counts();
        report(counts, 'sending');
      }
      while (!signal?.aborted && counts.done < meta.total) {
        if (Date.now() - lastProgressAt > waitTimeoutMs) {
          throw new RedlineError(
            'BATCH_WAIT_TIMEOUT',
            `no new outcome for ${Math.round(waitTimeoutMs / 1000)} s (${counts.done} of ${meta.total} done; is the pipeline running?). ` +
              `The batch is saved: redline batch resume ${meta.batchId}`,
          );
        }
        await sleep(pollMs, undefined, { signal }).catch(() => {});
        await keepLock();
        counts = await store.counts();
        report(counts, 'waiting');
      }
      if (counts.done < meta.total) return { status: 'interrupted', batchId: meta.batchId, counts };
    } finally {
      await collector?.stop().catch(() => {});
      await producer.disconnect().catch(() => {});
    }
    const result = await finish(store, meta);
    await deleteCollectorGroup(config, meta.batchId).catch(() => {});
    return result;
  } finally {
    await store.unlock(owner).catch(() => {});
  }
}
