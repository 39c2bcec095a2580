import { trainDetector } from './index.ts';
const r = trainDetector({ dataPath: '/work/shared/data/prompts/train.jsonl', outDir: '/tmp/detexp', log: console.log, epochs: Number(process.env.EP ?? 6) });
const f = (m: any) => `n=${m.n} P=${m.precision.toFixed(3)} R=${m.recall.toFixed(3)} F1=${m.f1.toFixed(3)} FPR=${m.fpr.toFixed(3)}`;
for (const s of [r.validation, r.heldOutPhrasings]) { console.log(s.name, f(s.overall)); for (const [k, v] of Object.entries(s.byLanguage)) console.log('  ', k, f(v)); }
console.log('seconds', r.seconds.toFixed(1), r.heldOutTemplates);
import { evaluate } from './index.ts';
import { readLabeledJsonl, splitByTemplate } from './data.ts';
import { augmentValidation } from './augment.ts';
import { createRng } from './network.ts';
const rows = readLabeledJsonl('/work/shared/data/prompts/train.jsonl');
const sp = splitByTemplate(rows, { fraction: 0.15, jailbenchTemplates: 2, salt: 'redline-20261204' });
for (const t of [0.5, 0.7]) {
  const v = evaluate('v', r.network, sp.validation, r.meta.features, t);
  const h = evaluate('h', r.network, augmentValidation(createRng(1)), r.meta.features, t);
  console.log(t, 'val', f(v.overall), 'zh', f(v.byLanguage.zh), '| held', f(h.overall));
}
import { featureIds } from '../features.ts';
import { score } from './network.ts';
import { templateKey } from './data.ts';
const by: Record<string, number[]> = {};
for (const row of sp.validation.filter((x) => x.lang === 'zh')) {
  const k = `${row.label}:${row.source}:${row.label && row.source==='jailbench' ? templateKey(row.text).slice(0,10) : ''}`;
  (by[k] ??= []).push(score(r.network, featureIds(row.text, r.meta.features)));
}
for (const [k, v] of Object.entries(by)) console.log(k, v.length, 'flag@.85', v.filter((s) => s >= 0.85).length, 'mean', (v.reduce((a, b) => a + b, 0) / v.length).toFixed(3));
