import { RE2 } from 're2-wasm';
import { codecFor } from '../schemas/codec.ts';
import type { InferenceResult } from '../schemas/types.ts';
import { OutputScanner, outputScanConfigSchema } from '../workers/output-scan/index.ts';
import type { BenchRow, BenchSection } from './types.ts';

// Output scanning, in ratios measured side by side in one run:
// - the one-shot scan of a model answer against the Avro encoding of the result it goes into
//   (what publishing that result costs anyway);
// - the streamed scan (token-sized chunks, sliding window) against the one-shot scan of the same text;
// - linear time: adversarial inputs 8x longer should take about 8x as long (not 64x);
// - why hand-written linear regexes and not re2-wasm: the same e-mail pattern on the same text.

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Median over rounds of time(a)/time(b), the two alternating in order each round. */
function ratioOf(a: () => void, b: () => void, rounds: number): { ratio: number; msA: number; msB: number } {
  const ratios: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  const time = (f: () => void) => {
    const start = performance.now();
    f();
    return performance.now() - start;
  };
  a(); // warm-up: the JIT, not the first round, decides the ratio
  b();
  for (let r = 0; r < rounds; r++) {
    let ta: number;
    let tb: number;
    if (r % 2 === 0) {
      ta = time(a);
      tb = time(b);
    } else {
      tb = time(b);
      ta = time(a);
    }
    as.push(ta);
    bs.push(tb);
    ratios.push(ta / tb);
  }
  return { ratio: median(ratios), msA: median(as), msB: median(bs) };
}

function answer(): string {
  const filler =
    'The queue keeps the worker busy while the model answers; each result is scanned before it is published. ';
  const planted = [
    'write to bob.smith@example.com',
    'key sk-proj-AbCdEf1234567890GhIjKlMn',
    'card 4111 1111 1111 1111',
    'call (555) 123-4567',
    'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'id AKIAIOSFODNN7EXAMPLE',
  ];
  let text = '';
  for (let i = 0; text.length < 4096; i++)
    text += filler + (i % 6 === 5 ? `${planted[((i / 6) % planted.length) | 0]}. ` : '');
  return text;
}

const ADVERSARIAL: Record<string, (n: number) => string> = {
  'local-part run, no @': (n) => 'a.b-c_d+e%'.repeat(n / 10),
  '@ after over-long local parts': (n) => `${'x'.repeat(70)}@a.`.repeat(n / 73),
  'sk- prefixes': (n) => 'sk-'.repeat(n / 3),
  'digit groups': (n) => '1234 '.repeat(n / 5),
  'BEGIN lines, no END': (n) => '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(n / 32),
  'eyJ runs': (n) => 'eyJhbGci.'.repeat(n / 9),
};

export async function run({ quick }: { quick: boolean }): Promise<BenchSection> {
  const rounds = quick ? 7 : 21;
  const scanner = new OutputScanner(outputScanConfigSchema.parse({ canaries: ['CANARY-7f3a9b2c41d0'] }));
  const text = answer();
  const result: InferenceResult = {
    requestId: 'req-1',
    tenant: 'acme',
    model: 'sim',
    output: text,
    redactions: [],
    timings: { queueWaitMs: 1, backendMs: 2, totalMs: 3 },
    preemptions: 0,
    batchId: null,
    batchIndex: null,
    completedAt: Date.now(),
  };
  const codec = codecFor('InferenceResult');
  const reps = quick ? 50 : 200;
  const rows: BenchRow[] = [];

  const oneShot = ratioOf(
    () => {
      for (let i = 0; i < reps; i++) scanner.scan(text);
    },
    () => {
      for (let i = 0; i < reps; i++) codec.encode(result);
    },
    rounds,
  );
  rows.push({
    name: 'one-shot scan of a 4 KB answer (6 findings)',
    value: (text.length * reps) / 1e6 / (oneShot.msA / 1000),
    unit: 'MB/s',
    baseline: {
      name: 'Avro encode of the same InferenceResult',
      value: (text.length * reps) / 1e6 / (oneShot.msB / 1000),
    },
    ratio: oneShot.ratio,
    notes: 'ratio = scan time / encode time',
  });

  const chunks = text.match(/[\s\S]{1,4}/g) ?? [];
  const streamed = ratioOf(
    () => {
      for (let i = 0; i < reps; i++) {
        const st = scanner.stream();
        for (const c of chunks) st.push(c);
        st.finish();
      }
    },
    () => {
      for (let i = 0; i < reps; i++) scanner.scan(text);
    },
    rounds,
  );
  rows.push({
    name: 'streamed scan, 4-char chunks (sliding window)',
    value: streamed.msA / reps,
    unit: 'ms/answer',
    baseline: { name: 'one-shot scan of the same text', value: streamed.msB / reps },
    ratio: streamed.ratio,
    notes:
      'the window is rescanned every streamStepChars (128) characters; absolute cost per answer is the figure to watch',
  });

  // Growth: the fastest of several runs each (noise on a shared machine only ever adds time).
  const fastest = (f: () => void, runs: number) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      f();
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };
  const n = quick ? 20_000 : 100_000;
  for (const [name, make] of Object.entries(ADVERSARIAL)) {
    const small = make(n);
    const large = make(8 * n);
    const msSmall = fastest(() => scanner.scan(small), quick ? 5 : 15);
    const msLarge = fastest(() => scanner.scan(large), quick ? 5 : 15);
    rows.push({
      name: `linear time: ${name}, ${Math.round(large.length / 1000)} k chars vs ${Math.round(small.length / 1000)} k`,
      value: msLarge,
      unit: 'ms',
      baseline: { name: `${Math.round(small.length / 1000)} k chars`, value: msSmall },
      ratio: msLarge / msSmall,
      goal: 'about 8 (linear), at most 16',
      met: msLarge / msSmall <= 16,
    });
  }

  // The e-mail pattern without the lookbehind (re2 has none), on text with many addresses.
  // Small on purpose: re2-wasm's cost grows with matches x length.
  const emails = 'Contact bob@example.com or alice@example.org for more. '.repeat(200);
  const jsEmail = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,4}[A-Za-z]{2,24}/g;
  const re2Email = new RE2('[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\\.){1,4}[A-Za-z]{2,24}', 'gu');
  let jsCount = 0;
  let re2Count = 0;
  const engines = ratioOf(
    () => {
      re2Email.lastIndex = 0;
      for (re2Count = 0; re2Email.exec(emails); ) re2Count++;
    },
    () => {
      jsEmail.lastIndex = 0;
      for (jsCount = 0; jsEmail.exec(emails); ) jsCount++;
    },
    quick ? 3 : 5,
  );
  if (jsCount !== re2Count) throw new Error(`engines disagree: ${jsCount} vs ${re2Count}`);
  rows.push({
    name: `re2-wasm vs V8 on the e-mail pattern (${Math.round(emails.length / 1000)} k chars, ${jsCount} matches)`,
    value: engines.msA,
    unit: 'ms',
    baseline: { name: 'V8 regex, bounded quantifiers', value: engines.msB },
    ratio: engines.ratio,
    notes: 're2-wasm copies the input into WebAssembly on every exec: quadratic in matches x length',
  });

  return { section: 'output scan', rows };
}
