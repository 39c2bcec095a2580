import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/log.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { type RunningStage, startStage } from '../../pipeline/runner.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import { countKeys, exactlyOnce, isolatedConfig, publishRequests } from '../helpers/kafka.ts';
import { passthroughStage } from '../helpers/passthrough.ts';
import { makeRequest } from '../helpers/requests.ts';
import { type StageProcess, spawnPassthrough } from '../helpers/stage-process.ts';

const logger = createLogger('test', undefined);
const running: RunningStage[] = [];
const processes: StageProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
});

async function chain(config: Awaited<ReturnType<typeof isolatedConfig>>, skip: string[] = []): Promise<void> {
  const hops = [
    passthroughStage('a', 'requests', 'authorized'),
    passthroughStage('b', 'authorized', 'sanitized'),
    passthroughStage('c', 'sanitized', 'cleared'),
  ].filter((d) => !skip.includes(d.name));
  for (const def of hops) running.push(await startStage(def, { config, logger }));
}

describe('stage runner against the real Kafka', () => {
  it('moves 10,000 requests through three pass-through stages exactly once', async () => {
    const config = await isolatedConfig('chain');
    await chain(config);
    const ids = await publishRequests(config, 10_000);
    const counts = await countKeys(config, 'cleared', ids.length);
    expect(exactlyOnce(ids, counts)).toEqual({ missing: 0, duplicated: 0, unexpected: 0 });
  });

  it('loses and duplicates nothing when a stage process is SIGKILLed mid-stream and restarted', async () => {
    const config = await isolatedConfig('kill');
    await chain(config, ['b']);
    let b = await spawnPassthrough(config, 'b', 'authorized', 'sanitized');
    processes.push(b);
    const publishing = publishRequests(config, 10_000, { wave: 250, pauseMs: 40 });
    while ((await b.consumed()) < 2_000) await new Promise((r) => setTimeout(r, 50));
    await b.kill('SIGKILL');
    const ids = await publishing;
    b = await spawnPassthrough(config, 'b', 'authorized', 'sanitized');
    processes.push(b);
    const counts = await countKeys(config, 'cleared', ids.length);
    expect(exactlyOnce(ids, counts)).toEqual({ missing: 0, duplicated: 0, unexpected: 0 });
  });

  it('shares partitions between two members of one group and stays exactly-once when one is killed', async () => {
    const config = await isolatedConfig('scale', { REDLINE_RUNNER_SESSION_TIMEOUT_MS: '6000' });
    await chain(config, ['b']);
    const env = { REDLINE_RUNNER_SESSION_TIMEOUT_MS: '6000' };
    const first = await spawnPassthrough(config, 'b', 'authorized', 'sanitized', env);
    const second = await spawnPassthrough(config, 'b', 'authorized', 'sanitized', env);
    processes.push(first, second);
    const publishing = publishRequests(config, 8_000, { wave: 200, pauseMs: 40 });
    while ((await first.consumed()) < 500 || (await second.consumed()) < 500) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Both members did work: the group split the partitions between them.
    expect(await first.consumed()).toBeGreaterThan(0);
    expect(await second.consumed()).toBeGreaterThan(0);
    await second.kill('SIGKILL');
    const ids = await publishing;
    const counts = await countKeys(config, 'cleared', ids.length, { timeoutMs: 180_000 });
    expect(exactlyOnce(ids, counts)).toEqual({ missing: 0, duplicated: 0, unexpected: 0 });
  });

  it('sends poison messages to the DLQ with their code and processes the stream behind them', async () => {
    const config = await isolatedConfig('poison');
    running.push(await startStage(passthroughStage('a', 'requests', 'authorized'), { config, logger }));
    const producer = createKafka(config).producer();
    await producer.connect();
    const good = [makeRequest(), makeRequest()];
    const poison = makeRequest({ prompt: 'poison' });
    const codec = codecFor('InferenceRequest');
    // All to one partition (same key), so the good record stands behind the bad ones.
    await producer.send({
      topic: topicName(config, 'requests'),
      messages: [
        { key: 'k', value: randomBytes(64) },
        { key: 'k', value: Buffer.concat([Buffer.from([0xc3, 0x01]), randomBytes(8), randomBytes(20)]) },
        { key: 'k', value: codec.encode(poison) },
        { key: 'k', value: codec.encode(good[0]!) },
        { key: 'k', value: codec.encode(good[1]!) },
      ],
    });
    await producer.disconnect();
    const passed = await countKeys(config, 'authorized', 1);
    expect(passed.get('k')).toBe(2);
    const dlq = createKafka(config).consumer({
      groupId: `${config.topics.prefix}dlqcheck`,
      readUncommitted: false,
    });
    const codes: string[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: topicName(config, 'dlq'), fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) =>
        void codes.push(codecFor('DlqRecord').decode(message.value).errorCode),
    });
    const deadline = Date.now() + 30_000;
    while (codes.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await dlq.disconnect();
    expect(codes.sort()).toEqual(['CORE_FAILED', 'DECODE_FAILED', 'SCHEMA_UNKNOWN']);
  });
});
