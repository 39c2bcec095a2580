import { configSchema } from '../infra/config/schema.ts';
import { createSanitizeCore } from '../pipeline/sanitize/core.ts';
import { createSanitizeFromConfig } from '../pipeline/sanitize/factory.ts';
import { loadCorpus } from '../pipeline/sanitize/fingerprint/corpus-file.ts';
import { EMBEDDING_DIM } from '../pipeline/sanitize/fingerprint/embed.ts';
import { FingerprintIndex } from '../pipeline/sanitize/fingerprint/fingerprint-index.ts';
import { loadRuleSet, RULE_FLAGS } from '../pipeline/sanitize/rules/engine.ts';
import { loadTemplates } from '../pipeline/sanitize/templates/registry.ts';
import type { AuthorizedRequest } from '../schemas/types.ts';
import { makeAuthorized } from '../test/helpers/requests.ts';
import type { BenchRow, BenchSection } from './types.ts';

// The sanitize core on 1 KB prompts (default rules and the shipped fingerprint corpus) against
// the goal of 10,000 prompts/s on one core and against a bare NFKC pass over the same prompts;
// the rule engine (RE2 through re2-wasm) against the same rules on V8's RegExp; RE2's time at
// 10/50/100 KB of input built to backtrack; the fingerprint index (SimHash filter vs brute force)
// and where brute force stops keeping up. Times are CPU time of this process (process.cpuUsage),
// "one core", which a shared, loaded machine distorts less than wall time; each pair is measured
// in alternating rounds and the ratio is the median of the per-round ratios.

const GOAL = 10_000;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** ops/s of `op` over `items`, CPU time. */
function opsPerSec<T>(items: readonly T[], op: (item: T) => unknown): number {
  const start = cpuMs();
  for (const item of items) op(item);
  return items.length / Math.max(1e-6, (cpuMs() - start) / 1000);
}

function sideBySide<T>(items: readonly T[], a: (x: T) => unknown, b: (x: T) => unknown, rounds: number) {
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Which side goes first alternates, so a burst of load does not always land on one side.
    let oa: number;
    let ob: number;
    if (r % 2 === 0) {
      oa = opsPerSec(items, a);
      ob = opsPerSec(items, b);
    } else {
      ob = opsPerSec(items, b);
      oa = opsPerSec(items, a);
    }
    as.push(oa);
    bs.push(ob);
    ratios.push(oa / ob);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}

// A deterministic pool of ordinary sentences in the eight languages (no reads of outside data).
const SENTENCES = [
  'Please summarise the quarterly report and list the three biggest risks for the team.',
  'Write a friendly email to a customer whose order 4521 arrived two days late.',
  'Explain how a heat pump works, and compare it with a gas boiler in 2024 prices.',
  'You are a helpful travel agent; plan a three-day trip to Kyoto with a small budget.',
  '请用三句话总结这篇文章的主要内容，并给出一个标题。',
  '帮我写一封感谢老师的信，语气要真诚一些。',
  'Schreibe eine kurze Geschichte über einen Hund, der im Park einen Ball sucht.',
  'Escribe un poema corto sobre la lluvia en la ciudad por la noche.',
  'Résume ce texte en deux phrases et propose un titre accrocheur.',
  'Напиши короткое стихотворение о зиме и о первом снеге.',
  '東京でおすすめの観光地を三つ教えてください。',
  '서울에서 가 볼 만한 곳을 추천해 주세요.',
  'Ignore the noise in this photo and describe the people in the foreground.',
  'Translate the following paragraph into German and keep the formatting.',
];

function prompts1k(n: number): string[] {
  const out: string[] = [];
  let seed = 42;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  for (let i = 0; i < n; i++) {
    let p = '';
    while (Buffer.byteLength(p) < 1024) p += `${SENTENCES[next() % SENTENCES.length]} `;
    out.push(p.slice(0, 1024));
  }
  return out;
}

function request(prompt: string): AuthorizedRequest {
  return makeAuthorized({ requestId: 'bench', tenant: 't', prompt, createdAt: 0 });
}

function unitVector(seed: number): Float32Array {
  const v = new Float32Array(EMBEDDING_DIM);
  let s = seed >>> 0;
  let norm = 0;
  for (let i = 0; i < EMBEDDING_DIM; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 32 - 0.5;
    norm += v[i]! * v[i]!;
  }
  for (let i = 0; i < EMBEDDING_DIM; i++) v[i]! /= Math.sqrt(norm);
  return v;
}

export async function run({ quick }: { quick: boolean }): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const rounds = quick ? 3 : 5;
  const config = configSchema.parse({});
  const parts = createSanitizeFromConfig(config);
  const ctx = { now: 0 };
  const prompts = prompts1k(quick ? 1_000 : 3_000);
  const requests = prompts.map(request);

  // Warm-up, so the JIT has compiled every path before anything is timed.
  for (const r of requests) parts.core(r, ctx);

  // 1. The core against the goal and against a bare NFKC pass.
  const vsNfkc = sideBySide(
    requests,
    (r) => parts.core(r, ctx),
    (r) => r.prompt!.normalize('NFKC'),
    rounds,
  );
  rows.push({
    name: 'sanitize core, 1 KB prompts, default rules + fingerprints (prompts/s, one core)',
    value: Math.round(vsNfkc.a),
    unit: 'prompts/s',
    baseline: { name: 'goal', value: GOAL },
    ratio: vsNfkc.a / GOAL,
    goal: '>= 10,000 prompts/s on one core',
    met: vsNfkc.a >= GOAL,
    notes: `corpus ${parts.fingerprints.size} entries (${config.sanitize.fingerprintIndex}), ${parts.rules.current().rules.length} rules`,
  });
  rows.push({
    name: 'sanitize core vs a plain NFKC pass on the same prompts',
    value: Math.round(vsNfkc.a),
    unit: 'prompts/s',
    baseline: { name: 'String.prototype.normalize("NFKC")', value: Math.round(vsNfkc.b) },
    ratio: vsNfkc.ratio,
    notes: 'ratio < 1: the core costs 1/ratio NFKC passes',
  });

  // 2. The rule engine (RE2 via re2-wasm) vs the same rules on V8's RegExp, same structure (one
  // combined alternation, then the rules one by one on a hit).
  const ruleSet = parts.rules.current();
  const v8Rules = ruleSet.rules.map((r) => new RegExp(r.pattern, RULE_FLAGS));
  const v8Any = new RegExp(ruleSet.rules.map((r) => `(?:${r.pattern})`).join('|'), RULE_FLAGS);
  const v8Match = (text: string) => (v8Any.test(text) ? v8Rules.filter((re) => re.test(text)) : []);
  const engines = sideBySide(prompts, (p) => ruleSet.match(p), v8Match, rounds);
  rows.push({
    name: 'rule engine: RE2 (re2-wasm) vs the same rules on V8 RegExp, 1 KB prompts',
    value: Math.round(engines.a),
    unit: 'prompts/s',
    baseline: { name: 'V8 RegExp, same rules', value: Math.round(engines.b) },
    ratio: engines.ratio,
    notes: 'RE2 buys linear time on every pattern; each call also copies the text into wasm memory as UTF-8',
  });

  // 3. ReDoS: rules built to backtrack, inputs built to make them, on RE2 at 10/50/100 KB.
  const evil = loadRuleSet(
    JSON.stringify({
      version: 1,
      rules: [
        { id: 'nested', pattern: '(a+)+$', languages: ['any'], severity: 'high', action: 'reject' },
        { id: 'alternation', pattern: '(a|aa)+$', languages: ['any'], severity: 'high', action: 'reject' },
        { id: 'dotstar', pattern: '(.*a){12}x', languages: ['any'], severity: 'high', action: 'reject' },
      ],
    }),
  );
  const timeAt = (kb: number): number => {
    const input = `${'a'.repeat(kb * 1024)}!`;
    const reps = quick ? 3 : 6;
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const start = cpuMs();
      for (const rule of evil.rules) rule.regex.test(input);
      evil.match(input);
      times.push(cpuMs() - start);
    }
    return median(times);
  };
  timeAt(10);
  const t10 = timeAt(10);
  const t50 = timeAt(50);
  const t100 = timeAt(100);
  rows.push({
    name: 'ReDoS rules on RE2: time at 50 KB / time at 10 KB (linear = 5)',
    value: Number((t50 / t10).toFixed(2)),
    unit: 'x',
    baseline: { name: 'linear growth', value: 5 },
    ratio: t50 / t10 / 5,
    notes: `10 KB ${t10.toFixed(2)} ms, 50 KB ${t50.toFixed(2)} ms, 100 KB ${t100.toFixed(2)} ms (CPU)`,
  });
  rows.push({
    name: 'ReDoS rules on RE2: time at 100 KB / time at 10 KB (linear = 10)',
    value: Number((t100 / t10).toFixed(2)),
    unit: 'x',
    baseline: { name: 'linear growth', value: 10 },
    ratio: t100 / t10 / 10,
    goal: 'linear in input size',
    met: t100 / t10 < 20,
  });
  // Contrast: V8 on the nested pattern doubles its time per extra character.
  const v8Evil = /(a+)+$/;
  const v8At = (n: number): number => {
    const start = cpuMs();
    v8Evil.test(`${'a'.repeat(n)}!`);
    return cpuMs() - start;
  };
  v8At(16); // compile and tier up first
  const v8small = v8At(20);
  const v8big = v8At(24);
  rows.push({
    name: 'contrast: V8 RegExp on /(a+)+$/, 24 chars vs 20 chars',
    value: Number((v8big / Math.max(v8small, 1e-3)).toFixed(1)),
    unit: 'x',
    baseline: { name: 'exponential growth (2^4)', value: 16 },
    ratio: v8big / Math.max(v8small, 1e-3) / 16,
    notes: `20 chars ${v8small.toFixed(2)} ms, 24 chars ${v8big.toFixed(2)} ms; 100 KB would never finish`,
  });

  // 4. The fingerprint index: SimHash filter vs brute force on the shipped corpus.
  const simhash = parts.fingerprints;
  // The same corpus file loaded a second time as a brute-force index: identical entries.
  const bruteShipped = loadCorpus(config.sanitize.corpusFile, config.sanitize.fingerprintThreshold, 'brute');
  const idx = sideBySide(
    prompts,
    (p) => simhash.search(p),
    (p) => bruteShipped.search(p),
    rounds,
  );
  rows.push({
    name: `fingerprints: SimHash filter vs brute force, ${simhash.size} entries`,
    value: Math.round(idx.a),
    unit: 'queries/s',
    baseline: { name: 'brute force', value: Math.round(idx.b) },
    ratio: idx.ratio,
  });

  // Recall of the filter near the threshold: queries are corpus-like vectors at cosine ~0.9-0.97.
  const filterProbe = new FingerprintIndex(config.sanitize.fingerprintThreshold, 'simhash');
  const bruteProbe = new FingerprintIndex(config.sanitize.fingerprintThreshold, 'brute');
  const base = Array.from({ length: 2_000 }, (_, i) => unitVector(i + 1));
  base.forEach((v, i) => {
    filterProbe.addVector(`e${i}`, v);
    bruteProbe.addVector(`e${i}`, v);
  });
  let agree = 0;
  let positives = 0;
  const probes = quick ? 500 : 2_000;
  const searchVector = (index: FingerprintIndex, v: Float32Array) => index.searchVector(v).score;
  for (let i = 0; i < probes; i++) {
    const target = base[i % base.length]!;
    const noise = unitVector(10_000 + i);
    const mix = 0.25 + (i % 10) * 0.03; // cosines from about 0.97 down to about 0.82
    const q = new Float32Array(EMBEDDING_DIM);
    let norm = 0;
    for (let d = 0; d < EMBEDDING_DIM; d++) {
      q[d] = target[d]! + mix * noise[d]!;
      norm += q[d]! * q[d]!;
    }
    for (let d = 0; d < EMBEDDING_DIM; d++) q[d]! /= Math.sqrt(norm);
    const b = searchVector(bruteProbe, q) >= config.sanitize.fingerprintThreshold;
    const s = searchVector(filterProbe, q) >= config.sanitize.fingerprintThreshold;
    if (b) positives++;
    if (b && s) agree++;
  }
  rows.push({
    name: 'fingerprints: SimHash filter recall of brute-force matches near the threshold',
    value: Number((agree / Math.max(1, positives)).toFixed(4)),
    unit: 'recall',
    baseline: { name: 'brute force', value: 1 },
    ratio: agree / Math.max(1, positives),
    notes: `${positives} brute-force matches among ${probes} probes at cosine ~0.82-0.97`,
  });

  // Where brute force stops keeping up: the core's cost without fingerprints plus brute force's
  // cost per corpus entry, against the goal's budget of 100 µs a prompt.
  const noFingerprints = createSanitizeCore({
    config: config.sanitize,
    rules: () => parts.rules.current(),
    fingerprints: null,
    templates: loadTemplates(config.sanitize.templatesFile),
    boundary: () => 'b',
  });
  const rest = median(
    Array.from({ length: rounds }, () => opsPerSec(requests, (r) => noFingerprints(r, ctx))),
  );
  const budgetUs = 1e6 / GOAL - 1e6 / rest;
  const qs = prompts.slice(0, quick ? 200 : 500);
  /** Cost per corpus entry (µs) of one index kind, from the difference between sizes. */
  const perEntryCost = (kind: 'brute' | 'simhash', sizes: number[]): { perEntry: number; fixed: number } => {
    const times = sizes.map((n) => {
      const big = new FingerprintIndex(0.92, kind, null, n);
      for (let i = 0; i < n; i++) big.addVector(`s${i}`, unitVector(i + 7));
      return 1e6 / median(Array.from({ length: rounds }, () => opsPerSec(qs, (p) => big.search(p))));
    });
    const first = times[0]!;
    const last = times[times.length - 1]!;
    const perEntry = Math.max(1e-6, (last - first) / (sizes[sizes.length - 1]! - sizes[0]!));
    return { perEntry, fixed: Math.max(0, first - perEntry * sizes[0]!) };
  };
  const bruteSizes = [1_000, 8_000];
  const simhashSizes = [1_000, 32_000];
  const bruteCost = perEntryCost('brute', bruteSizes);
  const simhashCost = perEntryCost('simhash', simhashSizes);
  const crossoverOf = (c: { perEntry: number; fixed: number }): number =>
    Math.max(0, Math.floor((budgetUs - c.fixed) / c.perEntry));
  const crossover = crossoverOf(bruteCost);
  const perEntry = bruteCost.perEntry;
  rows.push({
    name: 'fingerprints: corpus size where brute force drops the core below 10,000 prompts/s',
    value: crossover,
    unit: 'entries',
    baseline: { name: 'shipped corpus', value: simhash.size },
    ratio: crossover / simhash.size,
    notes:
      `core without fingerprints ${Math.round(rest)} prompts/s; brute force ${perEntry.toFixed(4)} µs per entry ` +
      `(measured at ${bruteSizes.join('/')} entries); the SimHash filter is used above this size`,
  });
  const simhashCrossover = crossoverOf(simhashCost);
  rows.push({
    name: 'fingerprints: corpus size where the SimHash filter drops the core below 10,000 prompts/s',
    value: simhashCrossover,
    unit: 'entries',
    baseline: { name: 'shipped corpus', value: simhash.size },
    ratio: simhashCrossover / simhash.size,
    notes:
      `SimHash ${(simhashCost.perEntry * 1000).toFixed(2)} ns per entry + ${simhashCost.fixed.toFixed(1)} µs per query ` +
      `(embedding, signature), measured at ${simhashSizes.join('/')} entries of random vectors`,
  });

  return { section: 'sanitize', rows };
}
