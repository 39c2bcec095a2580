import { randomUUID } from 'node:crypto';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createKafka, type Message, Partitioners } from '../../pipeline/kafka/client.ts';
import { topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { ClearedRequest, InferenceRequest, InferenceResult, Rejection } from '../../schemas/types.ts';

/** What the stand-in pipeline does with a request. */
export type ResponderDecision = 'result' | 'reject' | 'quarantine';

export interface Responder {
  stop(): Promise<void>;
}

/**
 * A stand-in for the whole pipeline, over the real Kafka: consumes `requests` and publishes, per
 * request, an InferenceResult (output `ok <prompt>`), a Rejection (RULE_MATCH, stage sanitize) or a
 * quarantine record, as `decide` says. Answers every record it reads, duplicates included.
 */
export async function startResponder(
  config: RedlineConfig,
  decide: (request: InferenceRequest) => ResponderDecision,
): Promise<Responder> {
  const kafka = createKafka(config, { clientId: 'test-responder' });
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({
    groupId: `${config.topics.prefix}responder.${randomUUID()}`,
    maxWaitTimeInMs: 500,
  });
  const codecs = {
    request: codecFor('InferenceRequest'),
    result: codecFor('InferenceResult'),
    rejection: codecFor('Rejection'),
    cleared: codecFor('ClearedRequest'),
  };
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(config, 'requests'), fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const out = { results: [] as Message[], rejected: [] as Message[], quarantine: [] as Message[] };
      for (const m of batch.messages) {
        const r = codecs.request.decode(m.value);
        const key = r.requestId;
        const decision = decide(r);
        if (decision === 'result') out.results.push({ key, value: codecs.result.encode(resultFor(r)) });
        else if (decision === 'reject')
          out.rejected.push({ key, value: codecs.rejection.encode(rejectionFor(r)) });
        else {
          out.quarantine.push({
            key,
            value: codecs.cleared.encode(clearedFor(r)),
            headers: { 'redline-reason': 'INJECTION_SUSPECTED' },
          });
        }
      }
      const topicMessages = (['results', 'rejected', 'quarantine'] as const)
        .filter((t) => out[t].length > 0)
        .map((t) => ({ topic: topicName(config, t), messages: out[t] }));
      if (topicMessages.length > 0) await producer.sendBatch({ topicMessages });
    },
  });
  await joined;
  return {
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

function resultFor(r: InferenceRequest): InferenceResult {
  return {
    requestId: r.requestId,
    tenant: r.tenant,
    model: r.model,
    output: `ok ${r.prompt ?? r.templateId}`,
    redactions: [],
    timings: { queueWaitMs: 0, backendMs: 0, totalMs: 0 },
    preemptions: 0,
    batchId: r.batchId,
    batchIndex: r.batchIndex,
    completedAt: Date.now(),
  };
}

function rejectionFor(r: InferenceRequest): Rejection {
  return {
    requestId: r.requestId,
    tenant: r.tenant,
    stage: 'sanitize',
    code: 'RULE_MATCH',
    detail: 'matched rule test',
    batchId: r.batchId,
    batchIndex: r.batchIndex,
    rejectedAt: Date.now(),
  };
}

function clearedFor(r: InferenceRequest): ClearedRequest {
  const { token: _token, ...rest } = r;
  return {
    ...rest,
    principal: { subject: 'tester', tenant: r.tenant, roles: ['analyst'], tier: 'batch', weightLevel: null },
    renderedPrompt: r.prompt ?? '',
    normalizedPrompt: r.prompt ?? '',
    findings: [],
    fingerprintScore: 0,
    detection: { score: 0.7, modelVersion: 'test' },
  };
}
