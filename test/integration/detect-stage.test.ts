import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { confirmAttack, ReviewDecisions, releaseRequest } from '../../bin/commands/review.ts';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createLogger } from '../../infra/log.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { readDetectorMeta, resolveModelPath } from '../../pipeline/detect/load-model.ts';
import detectStage from '../../pipeline/detect/stage.ts';
import { readLabeledJsonl } from '../../pipeline/detect/train/data.ts';
import { trainingSplit } from '../../pipeline/detect/train/index.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { type RunningStage, startStage } from '../../pipeline/runner.ts';
import { confirmedAttacksKey, pullConfirmedAttacks } from '../../pipeline/sanitize/confirmed-attacks.ts';
import { createSanitizeFromConfig } from '../../pipeline/sanitize/factory.ts';
import type { CorpusFile } from '../../pipeline/sanitize/fingerprint/corpus-file.ts';
import { LOGICAL_TOPICS, topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { AuthorizedRequest, ClearedRequest, SanitizedRequest } from '../../schemas/types.ts';
import { isolatedConfig } from '../helpers/kafka.ts';
import { type Outcomes, readOutcomes } from '../helpers/outcomes.ts';
import { makeRequest } from '../helpers/requests.ts';

// The detect stage through the real Kafka: rows of the training code's own VALIDATION split (held
// out from the shipped model), sanitized by the real sanitize core, go through `startStage`;
// attacks must end in `rejected` (INJECTION_DETECTED) or `quarantine`, benign prompts in `cleared`,
// at rates consistent with the model card, each exactly once. Then `review` releases one
// quarantined record to `cleared` and confirms another as an attack (a Rejection, and its text
// joins the sanitize stage's fingerprint corpus, so the same prompt is now stopped by sanitize).

/** Where `redline model train` reads by default; CI has it at ../shared beside the repository. */
const DATA_PATH = join(REPO_ROOT, '..', 'shared/data/prompts/train.jsonl');
const hasData = existsSync(DATA_PATH);
const PER_LABEL = 40;
/** Records sent with this model get a review zone covering every score below 1 (see below). */
const REVIEW_MODEL = 'review-zone';

const logger = createLogger('test-detect-stage');
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
let config: RedlineConfig | undefined;
let stage: RunningStage | undefined;
const dir = mkdtempSync(join(tmpdir(), 'redline-detect-it-'));

afterAll(async () => {
  await stage?.stop();
  if (config) {
    const prefix = config.topics.prefix;
    await redis.del(new ReviewDecisions(redis, prefix).key, confirmedAttacksKey(prefix));
    const admin = createKafka(config).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: LOGICAL_TOPICS.map((t) => topicName(config!, t)) }).catch(() => {});
    await admin.disconnect();
  }
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

function authorized(requestId: string, prompt: string, model = 'sim-small'): AuthorizedRequest {
  const { token: _token, ...request } = makeRequest({ requestId, prompt, model });
  return {
    ...request,
    principal: { subject: 'u', tenant: 'acme', roles: ['analyst'], tier: 'standard', weightLevel: null },
  };
}

/** Stable across runs (no Math.random), so the sample, and so its outcome, is reproducible. */
const rank = (text: string): string => createHash('sha256').update(`detect-it:${text}`).digest('hex');

async function publishSanitized(cfg: RedlineConfig, records: SanitizedRequest[]): Promise<void> {
  const producer = createKafka(cfg).producer({ idempotent: true });
  await producer.connect();
  const codec = codecFor('SanitizedRequest');
  try {
    await producer.send({
      topic: topicName(cfg, 'sanitized'),
      messages: records.map((r) => ({ key: r.requestId, value: codec.encode(r) })),
    });
  } finally {
    await producer.disconnect();
  }
}

const total = (o: Outcomes, id: string): number =>
  (o.cleared.get(id)?.length ?? 0) + (o.rejected.get(id)?.length ?? 0) + (o.quarantine.get(id)?.length ?? 0);

describe.skipIf(!hasData)(
  `detect stage against the real Kafka${hasData ? '' : ` (skipped: no training data at ${DATA_PATH})`}`,
  () => {
    it('stops held-out attacks, clears held-out benign prompts, and review releases and confirms', async () => {
      config = await isolatedConfig('detect');
      // The main sample runs under the default limits; REVIEW_MODEL's zone is only used if too few
      // sample records land in quarantine by themselves to exercise both review actions.
      config.detect = {
        ...config.detect,
        perModel: { ...config.detect.perModel, [REVIEW_MODEL]: { threshold: 1, quarantineFrom: 0 } },
      };
      // The shipped fingerprint corpus embeds every attack of the data file, validation rows
      // included, so sanitize would stop them all by fingerprint before detect saw one. Here the
      // fingerprints start empty (same format and embedding): detect faces attacks nobody has seen,
      // and the review's confirmed attack is the corpus's one entry afterwards.
      const shipped = JSON.parse(readFileSync(config.sanitize.corpusFile, 'utf8')) as CorpusFile;
      const corpusFile = join(dir, 'empty-corpus.json');
      writeFileSync(corpusFile, JSON.stringify({ ...shipped, count: 0, ids: [], vectors: '' }));
      config.sanitize = { ...config.sanitize, corpusFile };
      const cfg = config;
      const { threshold, quarantineFrom } = cfg.detect;
      const meta = await readDetectorMeta(resolveModelPath(cfg.detect.modelPath));

      // The rows the shipped model was validated on: the training split for the model's own seed.
      const split = trainingSplit(readLabeledJsonl(DATA_PATH), meta.training.seed);
      const sanitize = createSanitizeFromConfig(cfg);
      const now = Date.now();
      const sample: Record<0 | 1, SanitizedRequest[]> = { 0: [], 1: [] };
      const stoppedBySanitize: Record<0 | 1, number> = { 0: 0, 1: 0 };
      const seen = new Set<string>();
      const rows = [...split.validation].sort((a, b) => (rank(a.text) < rank(b.text) ? -1 : 1));
      for (const row of rows) {
        if (sample[row.label].length >= PER_LABEL || seen.has(row.text)) continue;
        seen.add(row.text);
        const id = `${row.label ? 'attack' : 'benign'}-${sample[row.label].length}`;
        const verdict = sanitize.core(authorized(id, row.text), { now });
        // Sanitize's own rejections never reach detect: they are not this stage's to judge.
        if (verdict.kind === 'pass') sample[row.label].push(verdict.output);
        else stoppedBySanitize[row.label]++;
      }
      expect([sample[0].length, sample[1].length]).toEqual([PER_LABEL, PER_LABEL]);

      stage = await startStage(await detectStage({ config: cfg, logger }), { config: cfg, logger });
      for (let i = 0; i < 300 && !stage.ready(); i++) await new Promise((r) => setTimeout(r, 100));
      const all = [...sample[1], ...sample[0]];
      await publishSanitized(cfg, all);
      const outcomes = await readOutcomes(cfg, (o) => all.every((r) => total(o, r.requestId) > 0));

      // Exactly once across the three topics, and nothing that was not sent.
      expect(all.filter((r) => total(outcomes, r.requestId) !== 1).map((r) => r.requestId)).toEqual([]);
      const sent = new Set(all.map((r) => r.requestId));
      for (const topic of ['cleared', 'rejected', 'quarantine'] as const)
        expect([...outcomes[topic].keys()].filter((k) => !sent.has(k))).toEqual([]);

      // Each topic holds what its name says.
      for (const [id, [rejection]] of outcomes.rejected)
        expect({ id, code: rejection!.code, stage: rejection!.stage }).toEqual({
          id,
          code: 'INJECTION_DETECTED',
          stage: 'detect',
        });
      for (const [id, [q]] of outcomes.quarantine) {
        expect({ id, version: q!.detection.modelVersion }).toEqual({ id, version: meta.version });
        expect(q!.detection.score).toBeGreaterThanOrEqual(quarantineFrom);
        expect(q!.detection.score).toBeLessThan(threshold);
      }
      for (const [id, [c]] of outcomes.cleared) {
        expect({ id, version: c!.detection.modelVersion }).toEqual({ id, version: meta.version });
        expect(c!.detection.score).toBeLessThan(quarantineFrom);
      }

      // The model is not perfect: its card reports recall 0.95-0.97 and FPR 1.4-2.7% on this split
      // (threshold 0.85, grey zone from 0.6). With 40 + 40 rows, allow for sampling noise.
      const stopped = (r: SanitizedRequest) =>
        outcomes.rejected.has(r.requestId) || outcomes.quarantine.has(r.requestId);
      const attacksStopped = sample[1].filter(stopped).length;
      const benignStopped = sample[0].filter(stopped).length;
      console.info(
        `detect-stage: ${attacksStopped}/${PER_LABEL} held-out attacks stopped ` +
          `(${sample[1].filter((r) => outcomes.quarantine.has(r.requestId)).length} quarantined), ` +
          `${benignStopped}/${PER_LABEL} benign stopped; sanitize alone stopped ` +
          `${stoppedBySanitize[1]} attack(s) and ${stoppedBySanitize[0]} benign row(s) while sampling`,
      );
      expect(attacksStopped / PER_LABEL).toBeGreaterThanOrEqual(0.85);
      expect(benignStopped / PER_LABEL).toBeLessThanOrEqual(0.05);

      // Review: on records this stage quarantined. If fewer than two landed there, held-out rows go
      // through again under REVIEW_MODEL, whose zone [0, 1) quarantines any score below 1 (a
      // saturated attack may still be rejected, hence three attacks and a benign row).
      let quarantined = [...outcomes.quarantine.values()].map(([q]) => q!);
      if (quarantined.length < 2) {
        const extra = [sample[0][0]!, ...sample[1].slice(0, 3)].map((r) => ({
          ...r,
          requestId: `review-${r.requestId}`,
          model: REVIEW_MODEL,
        }));
        await publishSanitized(cfg, extra);
        const more = await readOutcomes(cfg, (o) => extra.every((r) => total(o, r.requestId) > 0));
        expect(extra.filter((r) => total(more, r.requestId) !== 1)).toEqual([]);
        quarantined = [...more.quarantine.values()].map(([q]) => q!);
      }
      expect(quarantined.length).toBeGreaterThanOrEqual(2);
      // The operator releases what looks benign and confirms what looks like an attack.
      const isAttack = (q: ClearedRequest) => q.requestId.includes('attack-');
      const toRelease = quarantined.find((q) => !isAttack(q)) ?? quarantined[0]!;
      const toConfirm =
        quarantined.find((q) => q !== toRelease && isAttack(q)) ?? quarantined.find((q) => q !== toRelease)!;
      const ctx = { config: cfg, redis, by: 'detect-it' };

      await releaseRequest(ctx, toRelease.requestId);
      await confirmAttack(ctx, toConfirm.requestId);
      const after = await readOutcomes(
        cfg,
        (o) => o.cleared.has(toRelease.requestId) && (o.rejected.get(toConfirm.requestId)?.length ?? 0) > 0,
      );
      // The released record continues to `cleared` unchanged (detection included), once.
      expect(after.cleared.get(toRelease.requestId)).toEqual([toRelease]);
      expect(after.rejected.has(toRelease.requestId)).toBe(false);
      // The confirmed one is rejected by review, once, and never cleared.
      expect(after.rejected.get(toConfirm.requestId)?.map((r) => [r.code, r.stage])).toEqual([
        ['INJECTION_CONFIRMED', 'review'],
      ]);
      expect(after.cleared.has(toConfirm.requestId)).toBe(false);

      // Its normalised text joined the corpus: a sanitize core that pulls the confirmed attacks
      // (as the stage does) now stops the very same prompt by fingerprint, which it passed before.
      expect(await redis.lrange(confirmedAttacksKey(cfg.topics.prefix), 0, -1)).toEqual([
        toConfirm.normalizedPrompt,
      ]);
      const again = authorized(`again-${randomUUID()}`, toConfirm.prompt!);
      expect(createSanitizeFromConfig(cfg).core(again, { now }).kind).toBe('pass');
      const grown = createSanitizeFromConfig(cfg);
      const sizeBefore = grown.fingerprints.size;
      expect(await pullConfirmedAttacks(redis, cfg.topics.prefix, grown.fingerprints, 0)).toBe(1);
      expect(grown.fingerprints.size).toBe(sizeBefore + 1);
      const verdict = grown.core(again, { now });
      expect(verdict.kind === 'reject' ? verdict.code : verdict.kind).toBe('FINGERPRINT_MATCH');
    });
  },
);
