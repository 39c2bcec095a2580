import { dot, EMBEDDING_DIM, embed } from './embed.ts';
import { hamming, hammingCutoff, SIGNATURE_WORDS, signature } from './simhash.ts';

export interface FingerprintMatch {
  /** Best cosine found (exact for every entry the index compared; 0 when none was near). */
  score: number;
  /** Id of the best entry, or null. */
  id: string | null;
}

export type IndexKind = 'brute' | 'simhash';

/**
 * The known-attack corpus in one growable Float32Array (unit vectors) with their signatures.
 * `brute` compares the query with every entry; `simhash` compares signatures first (4 popcounts
 * an entry) and computes the cosine only for entries within the Hamming cutoff.
 */
export class FingerprintIndex {
  private vectors: Float32Array;
  private signatures: Uint32Array;
  private readonly ids: string[] = [];
  private readonly query = new Float32Array(EMBEDDING_DIM);
  private readonly querySig = new Uint32Array(SIGNATURE_WORDS);
  private readonly cutoff: number;

  constructor(
    readonly threshold: number,
    readonly kind: IndexKind = 'simhash',
    capacity = 1024,
  ) {
    this.vectors = new Float32Array(capacity * EMBEDDING_DIM);
    this.signatures = new Uint32Array(capacity * SIGNATURE_WORDS);
    // Entries this far below the threshold are still compared, so scores near it are exact.
    this.cutoff = hammingCutoff(Math.max(0, threshold - 0.1));
  }

  get size(): number {
    return this.ids.length;
  }

  /** Adds a unit vector (copied). */
  addVector(id: string, vector: Float32Array): void {
    const n = this.ids.length;
    if ((n + 1) * EMBEDDING_DIM > this.vectors.length) {
      const grown = new Float32Array(this.vectors.length * 2);
      grown.set(this.vectors);
      this.vectors = grown;
      const sigs = new Uint32Array(this.signatures.length * 2);
      sigs.set(this.signatures);
      this.signatures = sigs;
    }
    this.vectors.set(vector, n * EMBEDDING_DIM);
    signature(this.vectors, this.signatures, n * SIGNATURE_WORDS, n * EMBEDDING_DIM);
    this.ids.push(id);
  }

  addText(id: string, text: string): void {
    this.addVector(id, embed(text));
  }

  search(text: string): FingerprintMatch {
    const q = embed(text, this.query);
    return this.kind === 'brute' ? this.searchBrute(q) : this.searchSimhash(q);
  }

  private searchBrute(q: Float32Array): FingerprintMatch {
    let best = 0;
    let bestIndex = -1;
    for (let n = 0; n < this.ids.length; n++) {
      const s = dot(q, this.vectors, n * EMBEDDING_DIM);
      if (s > best) {
        best = s;
        bestIndex = n;
      }
    }
    return { score: best, id: bestIndex < 0 ? null : this.ids[bestIndex]! };
  }

  private searchSimhash(q: Float32Array): FingerprintMatch {
    signature(q, this.querySig);
    let best = 0;
    let bestIndex = -1;
    for (let n = 0; n < this.ids.length; n++) {
      if (hamming(this.querySig, 0, this.signatures, n * SIGNATURE_WORDS) > this.cutoff) continue;
      const s = dot(q, this.vectors, n * EMBEDDING_DIM);
      if (s > best) {
        best = s;
        bestIndex = n;
      }
    }
    return { score: best, id: bestIndex < 0 ? null : this.ids[bestIndex]! };
  }
}
