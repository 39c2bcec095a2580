import type { Rng } from './random.ts';

// Plausible filler text for the simulated backend: sentences of common words, so output scanning,
// result sizes and streaming behave as with a real model's prose.

const WORDS = (
  'the a model request service latency queue worker result system data user value answer ' +
  'question time process first next each other more most which where when this that these ' +
  'should could would will can may shows returns uses keeps reads writes sends builds checks ' +
  'quickly usually often rarely clearly simply together again still already only also ' +
  'important useful small large simple careful stable recent common different similar'
).split(' ');

export function simText(rng: Rng, words: number): string[] {
  const out: string[] = [];
  let sentence = 0;
  for (let i = 0; i < words; i++) {
    let word = WORDS[Math.floor(rng() * WORDS.length)]!;
    if (sentence === 0) word = word[0]!.toUpperCase() + word.slice(1);
    sentence++;
    const end = i === words - 1 || (sentence > 5 && rng() < 0.2);
    if (end) {
      word += '.';
      sentence = 0;
    }
    out.push(i === 0 ? word : ` ${word}`);
  }
  return out;
}
