/**
 * Full-ranking top-K: the contract every model's ranker meets (defined beside the engine's
 * multi-threaded dot-product ranker, the lowest layer that implements it, and re-exported here),
 * and the two single-threaded implementations (dot product, arbitrary score function).
 */
import type { Csr } from '../data/types.js';
import type { TopKRanker } from '../engine/ranker/topKRanker.js';
import { packPanels, panelCount, PANEL, scorePanels } from './dotKernel.js';
import { maskExcluded, selectTopK, TopKScratch } from './topk.js';

export type { TopKRanker };

export interface BlockOptions {
  /** users scored at once; the score buffer is block x nItems floats */
  readonly block?: number;
}

/** Users per scoring block: 64 x 41k items is 10 MB of scores, and 64 users share each item tile. */
const DEFAULT_BLOCK = 64;

/**
 * Ranks by <user, item> over row-major float32 embeddings. Item embeddings are copied (packed)
 * when the ranker is built, so later changes to `itemEmb` are not seen; user rows are read at
 * each call. Sums run in float64 and are rounded once (float32 rounding at every step, as the
 * engine's WebAssembly ranker does, costs 1.8x in plain JS), so the two may order near-ties
 * differently; on Gowalla with random embeddings every metric agrees exactly.
 */
export class JsDotRanker implements TopKRanker {
  readonly nUsers: number;
  readonly nItems: number;
  private readonly items: Float32Array;
  private readonly block: number;
  private scratch: { userBuf: Float32Array; scores: Float32Array } | undefined;

  constructor(
    private readonly userEmb: Float32Array,
    itemEmb: Float32Array,
    private readonly dim: number,
    options: BlockOptions = {},
  ) {
    if (!Number.isInteger(dim) || dim < 1)
      throw new RangeError(`dim must be a positive integer, got ${dim}`);
    if (userEmb.length % dim !== 0 || itemEmb.length % dim !== 0)
      throw new RangeError(
        `embedding lengths ${userEmb.length}, ${itemEmb.length} are not multiples of dim ${dim}`,
      );
    this.nUsers = userEmb.length / dim;
    this.nItems = itemEmb.length / dim;
    this.items = packPanels(itemEmb, dim, this.nItems);
    this.block = roundUp(checkBlock(options.block ?? DEFAULT_BLOCK), PANEL);
  }

  async topK(users: Int32Array, k: number, exclude: readonly Csr[]): Promise<Int32Array> {
    checkK(k);
    for (const u of users)
      if (!(u >= 0 && u < this.nUsers))
        throw new RangeError(`user ${u} out of range [0, ${this.nUsers})`);
    const { dim, nItems } = this;
    const out = new Int32Array(users.length * k);
    const itemPanels = panelCount(nItems);
    const stride = itemPanels * PANEL;
    const { userBuf, scores } = this.buffers(stride);
    const scratch = new TopKScratch(k);
    for (let from = 0; from < users.length; from += this.block) {
      const count = Math.min(this.block, users.length - from);
      packPanels(this.userEmb, dim, count, users, from, userBuf);
      scorePanels(userBuf, panelCount(count), this.items, itemPanels, dim, scores, stride);
      selectRows(scores, stride, nItems, users, from, count, k, exclude, out, scratch);
    }
    return out;
  }

  /** Scratch kept between calls: evaluation calls topK once per user block. */
  private buffers(stride: number): { userBuf: Float32Array; scores: Float32Array } {
    this.scratch ??= {
      userBuf: new Float32Array(this.block * this.dim),
      scores: new Float32Array(this.block * stride),
    };
    return this.scratch;
  }

  dispose(): void {
    this.scratch = undefined;
  }
}

/**
 * Scores users and items: fills out[r * nItems + i] with the score of item i for users[r]
 * (out holds exactly users.length * nItems values, zeroed).
 */
export type ScoreFn = (users: Int32Array, out: Float32Array) => void | Promise<void>;

/** Ranks by any score function, for models that are not a dot product (popularity, item-kNN). */
export class ScoreFnRanker implements TopKRanker {
  private readonly block: number;

  constructor(
    private readonly score: ScoreFn,
    readonly nItems: number,
    options: BlockOptions = {},
  ) {
    if (!Number.isInteger(nItems) || nItems < 0)
      throw new RangeError(`nItems must be a non-negative integer, got ${nItems}`);
    this.block = checkBlock(options.block ?? DEFAULT_BLOCK);
  }

  async topK(users: Int32Array, k: number, exclude: readonly Csr[]): Promise<Int32Array> {
    checkK(k);
    const n = this.nItems;
    const out = new Int32Array(users.length * k);
    const buf = new Float32Array(Math.min(this.block, users.length) * n);
    const scratch = new TopKScratch(k);
    for (let from = 0; from < users.length; from += this.block) {
      const count = Math.min(this.block, users.length - from);
      const scores = buf.subarray(0, count * n);
      scores.fill(0);
      await this.score(users.subarray(from, from + count), scores);
      selectRows(scores, n, n, users, from, count, k, exclude, out, scratch);
    }
    return out;
  }
}

/** Masks and selects rows 0 .. count-1 of a score block for users[from .. from+count). */
function selectRows(
  scores: Float32Array,
  stride: number,
  nItems: number,
  users: Int32Array,
  from: number,
  count: number,
  k: number,
  exclude: readonly Csr[],
  out: Int32Array,
  scratch: TopKScratch,
): void {
  for (let r = 0; r < count; r++) {
    const at = r * stride;
    maskExcluded(scores, at, nItems, users[from + r], exclude);
    selectTopK(scores, at, nItems, k, out, (from + r) * k, scratch);
  }
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0)
    throw new RangeError(`k must be a non-negative integer, got ${k}`);
}

function checkBlock(b: number): number {
  if (!Number.isInteger(b) || b < 1)
    throw new RangeError(`block must be a positive integer, got ${b}`);
  return b;
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
