import { center, dot, EMBEDDING_DIM, embed } from './embed.ts';
import { SignatureStore } from './signature-store.ts';
import { hammingCutoff, SIGNATURE_WORDS, signature } from './simhash.ts';

export interface FingerprintMatch {
  /**
   * Best cosine found. `brute`: exact. `simhash`: exact for every entry within the Hamming cutoff,
   * which holds entries at or above the threshold with probability > 1 - 1e-6; entries well below
   * the threshold are mostly skipped, so lower scores are a lower bound (often 0).
   */
  score: number;
  /** Id of the best entry, or null. */
  id: string | null;
}

export type IndexKind = 'brute' | 'simhash';

/**
 * The known-attack corpus in one growable Float32Array (unit vectors) with their signatures.
 * `brute` compares the query with every entry; `simhash` compares 128-bit signatures first (one
 * wasm popcount an entry, see signature-store.ts) and computes the cosine only for entries within the Hamming cutoff.
 */
export class FingerprintIndex {
  private vectors: Float32Array;
  private readonly signatures: SignatureStore;
  private readonly sig = new Uint32Array(SIGNATURE_WORDS);
  private readonly ids: string[] = [];
  private readonly query = new Float32Array(EMBEDDING_DIM);
  private readonly querySig = new Uint32Array(SIGNATURE_WORDS);
  private readonly cutoff: number;

  constructor(
    readonly threshold: number,
    readonly kind: IndexKind = 'simhash',
    /** Background mean subtracted from every embedding (see embed.ts `center`). */
    readonly mean: Float32Array | null = null,
    capacity = 1024,
  ) {
    this.vectors = new Float32Array(capacity * EMBEDDING_DIM);
    this.signatures = new SignatureStore(capacity);
    this.cutoff = hammingCutoff(threshold);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Adds a centred unit vector (copied). */
  addVector(id: string, vector: Float32Array): void {
    const n = this.ids.length;
    if ((n + 1) * EMBEDDING_DIM > this.vectors.length) {
      const grown = new Float32Array(this.vectors.length * 2);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    this.vectors.set(vector, n * EMBEDDING_DIM);
    signature(this.vectors, this.sig, 0, n * EMBEDDING_DIM);
    this.signatures.add(this.sig);
    this.ids.push(id);
  }

  /** The centred unit embedding of `text` (a new array unless `out` is given). */
  embed(text: string, out?: Float32Array): Float32Array {
    return center(embed(text, out), this.mean);
  }

  addText(id: string, text: string): void {
    this.addVector(id, this.embed(text));
  }

  search(text: string): FingerprintMatch {
    return this.searchVector(this.embed(text, this.query));
  }

  /** Nearest entry to a centred unit vector. */
  searchVector(q: Float32Array): FingerprintMatch {
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
    const candidates = this.signatures.within(this.querySig, this.cutoff);
    let best = 0;
    let bestIndex = -1;
    for (const n of candidates) {
      const s = dot(q, this.vectors, n * EMBEDDING_DIM);
      if (s > best) {
        best = s;
        bestIndex = n;
      }
    }
    return { score: best, id: bestIndex < 0 ? null : this.ids[bestIndex]! };
  }
}
