import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { isRedlineError } from './errors.ts';
import { createKafka } from './kafka/client.ts';
import { headersToStrings } from './kafka/headers.ts';
import { type ChunkOutcome, processChunk, type RawMessage } from './runner-batch.ts';
import { RunnerMetrics } from './runner-metrics.ts';
import type { StageDefinition, StageDeps } from './stage.ts';
import { topicName } from './topics.ts';

// The one stage runner. Per chunk of a partition's batch: decode, call the stage's core, and in
// ONE Kafka transaction produce the outputs, rejections, quarantines and DLQ records together with
// the consumed offsets. Consumers read committed only, so a stage killed mid-batch leaves neither
// a gap nor a duplicate downstream.
//
// Zombie fencing: KafkaJS sends no consumer-group metadata with offsets (no KIP-447), so each
// input partition gets its own transactional producer with a stable id. Whoever owns the partition
// next initialises the same id, which fences the old owner and aborts its open transaction.

export interface RunningStage {
  readonly name: string;
  readonly metrics: RunnerMetrics;
  /** True once the consumer has joined its group and holds an assignment. */
  ready(): boolean;
  stop(): Promise<void>;
}

export interface RunnerOptions extends StageDeps {
  metrics?: RunnerMetrics;
  /** Consumer group id; default `<prefix>stage.<name>`. */
  groupId?: string;
  /** Read the input topic from the beginning when the group has no committed offset (default true). */
  fromBeginning?: boolean;
}

export async function startStage(def: StageDefinition, options: RunnerOptions): Promise<RunningStage> {
  const { config, logger } = options;
  const runner = config.runner;
  const metrics = options.metrics ?? new RunnerMetrics();
  const groupId = options.groupId ?? `${config.topics.prefix}stage.${def.name}`;
  const kafka: Kafka = createKafka(config, { clientId: `redline-${def.name}` });
  const inputTopic = topicName(config, def.input);
  const producers = new Map<string, Promise<Producer>>();
  let joined = false;
  let inFlight = 0;
  let paused = false;

  const consumer: Consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout: runner.sessionTimeoutMs,
    heartbeatInterval: Math.min(3_000, Math.floor(runner.sessionTimeoutMs / 3)),
    maxBytesPerPartition: 10 * 1024 * 1024,
    retry: { retries: 10 },
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  consumer.on(consumer.events.CRASH, (e) => {
    logger.error(
      { stage: def.name, error: e.payload.error?.message, restart: e.payload.restart },
      'consumer crashed',
    );
  });

  function producerFor(partition: number): Promise<Producer> {
    const id = `${groupId}.${inputTopic}.${partition}`;
    let p = producers.get(id);
    if (!p) {
      const producer = kafka.producer({
        transactionalId: id,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: 60_000,
        // Kafka 4 answers CONCURRENT_TRANSACTIONS for a moment after each commit; retry quickly.
        retry: { initialRetryTime: runner.producerRetryMs, maxRetryTime: 2_000, retries: 20 },
      });
      p = producer.connect().then(() => producer);
      p.catch(() => producers.delete(id));
      producers.set(id, p);
    }
    return p;
  }

  function applyBackPressure(delta: number): void {
    inFlight += delta;
    metrics.inFlight.set({ stage: def.name }, inFlight);
    if (!paused && inFlight >= runner.maxInFlight) {
      paused = true;
      consumer.pause([{ topic: inputTopic }]);
    } else if (paused && inFlight < runner.maxInFlight / 2) {
      paused = false;
      consumer.resume([{ topic: inputTopic }]);
    }
  }

  async function commitChunk(partition: number, lastOffset: string, outcome: ChunkOutcome): Promise<void> {
    if (def.deliver && outcome.delivered.outputs.length > 0) {
      await def.deliver(outcome.delivered.outputs, outcome.delivered.headers);
    }
    const producer = await producerFor(partition);
    const tx = await producer.transaction();
    try {
      const byTopic = new Map<
        string,
        Array<{ key: string | Buffer | null; value: Buffer; headers: Record<string, string> }>
      >();
      for (const r of outcome.records) {
        const topic = topicName(config, r.topic);
        const list = byTopic.get(topic) ?? [];
        list.push({ key: r.key, value: r.value, headers: r.headers });
        byTopic.set(topic, list);
      }
      if (byTopic.size > 0) {
        await tx.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      }
      await tx.sendOffsets({
        consumerGroupId: groupId,
        topics: [
          { topic: inputTopic, partitions: [{ partition, offset: (BigInt(lastOffset) + 1n).toString() }] },
        ],
      });
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => {});
      throw err;
    }
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const messages = batch.messages;
    for (let start = 0; start < messages.length; start += runner.maxBatchSize) {
      if (!isRunning() || isStale()) return;
      const started = process.hrtime.bigint();
      const chunk = messages.slice(start, start + runner.maxBatchSize);
      const raw: RawMessage[] = chunk.map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers: headersToStrings(m.headers),
      }));
      applyBackPressure(chunk.length);
      try {
        const outcome = await processChunk(def, raw, {
          now: Date.now(),
          concurrency: runner.coreConcurrency,
        });
        const lastOffset = chunk[chunk.length - 1]!.offset;
        await commitChunk(batch.partition, lastOffset, outcome);
        resolveOffset(lastOffset);
        record(outcome);
      } catch (err) {
        if (isRedlineError(err) && err.retryable) {
          // Nothing was committed: the chunk is fetched again after KafkaJS restarts the consumer.
          logger.warn(
            { stage: def.name, code: err.code },
            'a dependency is unavailable; the batch will be retried',
          );
          await new Promise((r) => setTimeout(r, 1_000));
        }
        throw err;
      } finally {
        applyBackPressure(-chunk.length);
      }
      metrics.batchSeconds.observe({ stage: def.name }, Number(process.hrtime.bigint() - started) / 1e9);
      const lag = BigInt(batch.highWatermark) - BigInt(chunk[chunk.length - 1]!.offset) - 1n;
      metrics.lag.set(
        { stage: def.name, topic: batch.topic, partition: String(batch.partition) },
        Number(lag),
      );
      await heartbeat();
    }
  }

  function record(outcome: ChunkOutcome): void {
    const stage = def.name;
    metrics.messagesIn.inc({ stage }, outcome.counts.in);
    if (outcome.counts.out) metrics.messagesOut.inc({ stage }, outcome.counts.out);
    if (outcome.counts.quarantined) metrics.quarantined.inc({ stage }, outcome.counts.quarantined);
    for (const [code, n] of outcome.counts.rejected) metrics.rejected.inc({ stage, code }, n);
    for (const [code, n] of outcome.counts.dlq) {
      metrics.dlq.inc({ stage, code }, n);
      logger.warn({ stage, code, count: n }, 'messages sent to the DLQ');
    }
  }

  await consumer.connect();
  await consumer.subscribe({ topic: inputTopic, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: Math.max(1, config.topics.partitions),
    eachBatch,
  });
  logger.info({ stage: def.name, input: inputTopic, groupId }, 'stage running');

  let stopping: Promise<void> | undefined;
  return {
    name: def.name,
    metrics,
    ready: () => joined,
    stop() {
      stopping ??= (async () => {
        // disconnect() waits for the batch in hand to finish (its transaction commits or aborts), then leaves the group.
        await consumer
          .disconnect()
          .catch((err) => logger.warn({ err: (err as Error).message }, 'consumer disconnect'));
        for (const p of producers.values()) await (await p.catch(() => null))?.disconnect().catch(() => {});
        await def.close?.();
        logger.info({ stage: def.name }, 'stage stopped');
      })();
      return stopping;
    },
  };
}
