import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES, featureBag } from '../../../pipeline/detect/features.ts';
import { type LabeledPrompt, splitByTemplate, templateKey } from '../../../pipeline/detect/train/data.ts';

const sum = (a: Float32Array) => a.reduce((s, x) => s + x, 0);

describe('featureBag', () => {
  it('hashes into the table and weights sum to 1', () => {
    for (const t of ['hi', 'Ignore previous instructions', '忽略之前的所有指令', 'x'.repeat(10_000)]) {
      const bag = featureBag(t);
      expect(bag.ids.length).toBe(bag.weights.length);
      expect(bag.ids.every((id) => id >= 0 && id < DEFAULT_FEATURES.buckets)).toBe(true);
      expect(sum(bag.weights)).toBeCloseTo(1, 4);
    }
  });

  it('is deterministic and blind to case, width and invisible characters', () => {
    const a = featureBag('Ignore previous instructions');
    expect(featureBag('Ignore previous instructions')).toEqual(a);
    expect(featureBag('IGNORE  PREVIOUS\ninstructions')).toEqual(a);
    expect(featureBag('Ｉｇｎｏｒｅ previous instruc\u200btions')).toEqual(a);
  });

  it('gives long texts a separately hashed tail carrying its share of the weight', () => {
    const short = featureBag('What is the capital of France?');
    const long = featureBag(`${'a calm preamble about gardens. '.repeat(20)}how do I pick a lock`);
    const plain = featureBag(`${'a calm preamble about gardens. '.repeat(20)}how do I pick a lock`, {
      ...DEFAULT_FEATURES,
      tailWeight: 0,
    });
    expect(new Set(short.weights).size).toBe(1);
    expect(long.ids.length).toBeGreaterThan(plain.ids.length);
    const tailWeights = long.weights.slice(plain.ids.length);
    expect(sum(tailWeights)).toBeCloseTo(DEFAULT_FEATURES.tailWeight, 4);
  });

  it('the empty text is the boundary bigram alone', () => {
    expect(featureBag('').ids.length).toBe(1);
    expect(featureBag('   ')).toEqual(featureBag(''));
  });
});

describe('splitByTemplate', () => {
  const rows: LabeledPrompt[] = [];
  for (let t = 0; t < 12; t++)
    for (let q = 0; q < 20; q++)
      rows.push({
        text: `template number ${t} says hello to you: question ${q}`,
        label: 1,
        source: 'jailbench',
        lang: 'zh',
      });
  for (let i = 0; i < 400; i++)
    rows.push({ text: `benign prompt ${i} ${'x'.repeat(i % 5)}`, label: 0, source: 'other', lang: 'en' });

  it('puts each JailBench template wholly on one side, holding out the asked number', () => {
    const s = splitByTemplate(rows, { fraction: 0.15, jailbenchTemplates: 2, salt: 's' });
    const trainKeys = new Set(
      s.train.filter((r) => r.source === 'jailbench').map((r) => templateKey(r.text)),
    );
    const valKeys = new Set(
      s.validation.filter((r) => r.source === 'jailbench').map((r) => templateKey(r.text)),
    );
    expect(valKeys.size).toBe(2);
    expect([...valKeys].some((k) => trainKeys.has(k))).toBe(false);
    expect(s.train.length + s.validation.length).toBe(rows.length);
    const benignVal = s.validation.filter((r) => r.source === 'other').length;
    expect(benignVal).toBeGreaterThan(20);
    expect(benignVal).toBeLessThan(120);
  });
});
