import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKS, BENIGN_PROMPTS } from '../../bin/demo/prompts.ts';
import { createLogger } from '../../infra/log.ts';
import { type AssembledPipeline, assemblePipeline } from '../../pipeline/assemble.ts';
import { RedlineClient } from '../../pipeline/sdk/client.ts';
import type { Outcome } from '../../pipeline/sdk/outcomes.ts';
import type { SubmitRequest } from '../../pipeline/sdk/request-schema.ts';
import { countKeys } from '../helpers/kafka.ts';
import { DEMO_MODEL, type DemoPipelineConfig, demoPipelineConfig } from '../helpers/pipeline.ts';

// The whole pipeline in one process on the demo configuration, driven through the producer SDK:
// benign prompts in several languages come back as results, injections are stopped by sanitize or
// detect (or held in quarantine), bad credentials and an over-weight request are refused by auth,
// and every request id ends exactly once across results, rejected and quarantine.

// English, German, Spanish, French, Russian, Japanese, Chinese, Korean, and a translation request.
// (Detector model detector-26c7e69cf702 scores every demo text correctly, so none is left out: the
// Korean kimchi-stew question and the German developer-mode jailbreak, once misfires, are back.)
const BENIGN_LANGS = [0, 7, 8, 9, 10, 11, 12, 13, 14].map((i) => BENIGN_PROMPTS[i]!);
const ATTACK_TEXTS = ATTACKS;
const OUTCOME_TIMEOUT_MS = 45_000;

describe('the assembled pipeline, end to end', () => {
  let env: DemoPipelineConfig;
  let pipeline: AssembledPipeline | undefined;
  let client: RedlineClient | undefined;

  beforeAll(async () => {
    env = await demoPipelineConfig('e2e-pipeline');
    pipeline = await assemblePipeline({ config: env.config, logger: createLogger('e2e-pipeline') });
    client = new RedlineClient(env.config);
    await client.listen();
  });

  afterAll(async () => {
    await client?.close();
    await pipeline?.stop();
    await env?.cleanup();
  });

  it('ends each request as its kind deserves, and every id exactly once', async () => {
    const { tokens } = env;
    const ask = (tenant: string, prompt: string, extra: Partial<SubmitRequest> = {}): SubmitRequest => ({
      tenant,
      model: DEMO_MODEL,
      prompt,
      token: tokens.good[tenant] ?? null,
      parameters: { weight: 4, maxTokens: 64 },
      ...extra,
    });
    const tenants = ['acme', 'globex', 'initech'];
    const benign = BENIGN_LANGS.map((p, i) => ask(tenants[i % tenants.length]!, p));
    const attacks = ATTACK_TEXTS.map((a) => ask('acme', a.text));
    const forged = ask('acme', 'Show me the admin dashboard.', { token: tokens.forged });
    const expired = ask('acme', 'Hello again.', { token: tokens.expired });
    const overWeight = ask('acme', 'Big model please.', {
      token: tokens.lowWeight,
      parameters: { weight: 6 },
    });

    const c = client!;
    const submit = (reqs: SubmitRequest[]) => Promise.all(reqs.map((r) => c.submit(r)));
    const [benignIds, attackIds, [forgedId, expiredId, overWeightId]] = await Promise.all([
      submit(benign),
      submit(attacks),
      submit([forged, expired, overWeight]),
    ]);
    const all = [...benignIds, ...attackIds, forgedId!, expiredId!, overWeightId!];
    const outcomes = new Map<string, Outcome>(
      await Promise.all(
        all.map(async (id) => [id, await c.result(id, { timeoutMs: OUTCOME_TIMEOUT_MS })] as const),
      ),
    );
    const describeOutcome = (id: string): string => {
      const o = outcomes.get(id)!;
      return o.kind === 'result'
        ? 'result'
        : o.kind === 'rejected'
          ? `rejected ${o.rejection.stage}/${o.rejection.code}`
          : `quarantined ${o.score.toFixed(2)}`;
    };

    // Benign prompts, whatever their language, come back with an answer.
    const benignEnds = benignIds.map((id, i) => ({
      prompt: BENIGN_LANGS[i]!.slice(0, 24),
      end: describeOutcome(id),
    }));
    expect(benignEnds.filter((b) => b.end !== 'result')).toEqual([]);
    for (const id of benignIds) {
      const o = outcomes.get(id)!;
      expect(o.kind === 'result' && o.result.output.trim().length > 0).toBe(true);
    }

    // Injections never reach the model: sanitize or detect rejects them, or detect holds them.
    const attackEnds = attackIds.map((id, i) => ({
      attack: `${ATTACK_TEXTS[i]!.family}/${ATTACK_TEXTS[i]!.lang}`,
      end: describeOutcome(id),
    }));
    expect(attackEnds.filter((a) => !/^(rejected (sanitize|detect)\/|quarantined )/.test(a.end))).toEqual([]);

    // Bad credentials and an over-weight request stop at auth.
    expect(describeOutcome(forgedId!)).toMatch(/^rejected auth\/AUTH_/);
    expect(describeOutcome(expiredId!)).toMatch(/^rejected auth\/AUTH_/);
    expect(describeOutcome(overWeightId!)).toBe('rejected auth/WEIGHT_OUT_OF_BAND');

    // Exactly once: each id has one record across the three end topics, and nothing else is there.
    const expected = { results: 0, rejected: 0, quarantine: 0 };
    for (const o of outcomes.values()) {
      if (o.kind === 'result') expected.results++;
      else if (o.kind === 'rejected') expected.rejected++;
      else expected.quarantine++;
    }
    const [results, rejected, quarantine] = await Promise.all([
      countKeys(env.config, 'results', expected.results, { timeoutMs: 30_000, settleMs: 3_000 }),
      countKeys(env.config, 'rejected', expected.rejected, { timeoutMs: 30_000, settleMs: 3_000 }),
      countKeys(env.config, 'quarantine', expected.quarantine, { timeoutMs: 30_000, settleMs: 3_000 }),
    ]);
    const ends = new Map<string, number>();
    for (const counts of [results, rejected, quarantine]) {
      for (const [id, n] of counts) ends.set(id, (ends.get(id) ?? 0) + n);
    }
    const notOnce = all.filter((id) => ends.get(id) !== 1).map((id) => `${id}: ${ends.get(id) ?? 0}`);
    expect(notOnce).toEqual([]);
    expect([...ends.keys()].filter((id) => !all.includes(id))).toEqual([]);
    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    expect(total(results) + total(rejected) + total(quarantine)).toBe(all.length);
    expect({ results: results.size, rejected: rejected.size, quarantine: quarantine.size }).toEqual(expected);
  });
});
