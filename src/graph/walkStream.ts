/**
 * Counter-based random streams: the k-th number of the stream keyed by (seed, a, b) is a hash of
 * the key and k, nothing else. A walk keyed by (seed, start node, walk index) therefore comes out
 * the same whichever thread draws it, in whatever order or chunking; a stateful generator handed
 * from walk to walk (src/util/rng.ts) would not. Seeding an Rng per walk instead would squeeze
 * the key into its 32-bit seed, and a million walks would share streams by the birthday bound.
 *
 * The hash is MurmurHash3's 32-bit finaliser (fmix32, Appleby), applied to a Weyl sequence
 * offset by one key word and again after mixing in the other, in the spirit of splitmix and of
 * counter-based generators (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
 */

/** Something that draws uniform numbers in [0, 1). */
export interface UniformSource {
  next(): number;
}

const GOLDEN = 0x9e3779b9;

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class KeyedStream implements UniformSource {
  private readonly k0: number;
  private readonly k1: number;
  private counter = 0;

  constructor(seed: number, a: number, b: number) {
    this.k0 = fmix32((seed ^ fmix32((a + GOLDEN) | 0)) >>> 0);
    this.k1 = fmix32((this.k0 + fmix32(Math.imul(b + 1, 0x27d4eb2f))) | 0);
  }

  /** uniform 32-bit unsigned integer */
  nextU32(): number {
    this.counter = (this.counter + 1) | 0;
    return fmix32(fmix32((Math.imul(this.counter, GOLDEN) + this.k1) | 0) ^ this.k0);
  }

  /** uniform in [0, 1) */
  next(): number {
    return this.nextU32() / 4294967296;
  }
}
