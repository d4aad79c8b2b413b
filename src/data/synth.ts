/**
 * A synthetic implicit-feedback dataset with structure a graph model can find: users and items
 * belong to latent communities and users mostly pick items of their own community; item
 * popularity is Zipf-like; user activity is heavy-tailed; timestamps come in per-user sessions
 * over about six months. Deterministic for a seed, so demos and tests are reproducible.
 */
import { Rng } from '../util/rng.js';
import { assembleDataset } from './assemble.js';
import { GrowableFloat64, GrowableInt32 } from './buffers.js';
import { idMapOf } from './idmap.js';
import type { Dataset, Split } from './types.js';

export interface DemoOptions {
  readonly users?: number;
  readonly items?: number;
  readonly seed?: number;
  /** latent communities of users and items */
  readonly communities?: number;
  /** probability that an interaction is drawn from the user's own community */
  readonly affinity?: number;
  /** Zipf exponent of item popularity (1: the k-th item is 1/k as popular as the first) */
  readonly zipf?: number;
  /** fewest interactions per user */
  readonly minPerUser?: number;
  /** median of the heavy-tailed extra interactions per user */
  readonly medianExtra?: number;
  /** time span in days */
  readonly days?: number;
  /** first timestamp, seconds since the epoch */
  readonly start?: number;
}

export const DEMO_DEFAULTS: Required<DemoOptions> = {
  users: 1000,
  items: 800,
  seed: 7,
  communities: 8,
  affinity: 0.75,
  zipf: 0.9,
  minPerUser: 10,
  medianExtra: 12,
  days: 182,
  start: Date.UTC(2024, 0, 1) / 1000,
};

const DAY = 86400;

/** Cumulative weights for sampling by binary search. */
class Sampler {
  private readonly cdf: Float64Array;

  constructor(
    private readonly members: Int32Array,
    weights: Float64Array,
  ) {
    this.cdf = new Float64Array(members.length);
    let s = 0;
    for (let k = 0; k < members.length; k++) this.cdf[k] = s += weights[members[k]];
  }

  sample(rng: Rng): number {
    const x = rng.next() * this.cdf[this.cdf.length - 1];
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.members[lo];
  }
}

function padded(prefix: string, n: number): string[] {
  const width = Math.max(4, String(n).length);
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);
}

export function synthesizeDemo(options: DemoOptions = {}): Dataset {
  const o = { ...DEMO_DEFAULTS, ...options };
  if (o.users < 1 || o.items < o.communities || o.communities < 1) {
    throw new RangeError('demo dataset: need users >= 1 and items >= communities >= 1');
  }
  const rng = new Rng(o.seed);
  const K = o.communities;

  // Items: a community each and a Zipf weight by a random popularity rank, so neither the
  // id order nor the community says how popular an item is.
  const itemCommunity = new Int32Array(o.items);
  for (let i = 0; i < o.items; i++) itemCommunity[i] = i % K;
  rng.shuffle(itemCommunity);
  const rank = rng.shuffle(Int32Array.from({ length: o.items }, (_, i) => i));
  const weight = new Float64Array(o.items);
  for (let i = 0; i < o.items; i++) weight[i] = 1 / Math.pow(rank[i] + 1, o.zipf);
  const global = new Sampler(
    Int32Array.from({ length: o.items }, (_, i) => i),
    weight,
  );
  const byCommunity = Array.from({ length: K }, (_, c) => {
    const members = Int32Array.from({ length: o.items }, (_, i) => i).filter(
      (i) => itemCommunity[i] === c,
    );
    return new Sampler(members, weight);
  });
  const communitySize = byCommunity.map((_, c) => itemCommunity.filter((x) => x === c).length);

  const userCommunity = new Int32Array(o.users);
  const users = new GrowableInt32(o.users * 32);
  const items = new GrowableInt32(o.users * 32);
  const times = new GrowableFloat64(o.users * 32);
  const span = o.days * DAY;
  const seen = new Set<number>();
  const picks: number[] = [];
  const stamps: number[] = [];
  for (let u = 0; u < o.users; u++) {
    const c = rng.int(K);
    userCommunity[u] = c;
    // Log-normal extra activity: most users near the minimum, a few very active.
    const extra = Math.floor(o.medianExtra * Math.exp(0.9 * rng.normal()));
    const n = Math.min(
      o.minPerUser + extra,
      Math.floor(o.items / 2),
      communitySize[c] + Math.floor(o.items / 4),
    );
    seen.clear();
    picks.length = 0;
    for (let tries = 0; picks.length < n && tries < n * 50; tries++) {
      const i = rng.next() < o.affinity ? byCommunity[c].sample(rng) : global.sample(rng);
      if (seen.has(i)) continue;
      seen.add(i);
      picks.push(i);
    }
    // Sessions of 1-6 interactions minutes apart, starting at random times after the user
    // joined (somewhere in the first 60% of the span).
    stamps.length = 0;
    const joined = o.start + rng.next() * span * 0.6;
    while (stamps.length < picks.length) {
      let t = joined + rng.next() * (o.start + span - joined - 3600);
      const len = 1 + rng.int(6);
      for (let k = 0; k < len && stamps.length < picks.length; k++) {
        stamps.push(Math.floor(t));
        t += 30 + rng.int(600);
      }
    }
    stamps.sort((a, b) => a - b);
    for (let k = 0; k < picks.length; k++) {
      users.push(u);
      items.push(picks[k]);
      times.push(stamps[k]);
    }
  }
  const ds = assembleDataset({
    name: 'demo',
    sources: [`synthetic demo (users=${o.users}, items=${o.items}, seed=${o.seed})`],
    userIds: idMapOf(padded('u', o.users)),
    itemIds: idMapOf(padded('i', o.items)),
    train: { users: users.toArray(), items: items.toArray(), timestamps: times.toArray() },
  });
  return {
    ...ds,
    userFeatures: {
      columns: ['community'],
      values: { community: Array.from(userCommunity, String) },
    },
    itemFeatures: {
      columns: ['community'],
      values: { community: Array.from(itemCommunity, String) },
    },
  };
}

/**
 * A degree law fitted to Gowalla's: shift + exp(ln(median) + sigma z), z standard normal,
 * rounded. A pure power law fitted to Gowalla's median has an unbounded mean; this shifted
 * log-normal matches its 10-core floor, quartiles, 90th and 99th percentiles and mean.
 */
export interface DegreeLaw {
  readonly shift: number;
  readonly median: number;
  readonly sigma: number;
}

/** A dataset's size and degree laws, for synthetic stand-ins of its shape. */
export interface DatasetShape {
  readonly users: number;
  readonly items: number;
  readonly interactions: number;
  readonly userDegree: DegreeLaw;
  readonly itemDegree: DegreeLaw;
  /** share of each user's interactions that goes to test */
  readonly testShare: number;
}

/**
 * Gowalla as LightGCN's authors prepared it (train.txt + test.txt): 29,858 users, 40,981 items,
 * 1,027,370 interactions. User degrees: min 9, median 20, p90 67, p99 229, mean 34.4, the top
 * 10% of users holding 39% of the interactions; item degrees: min 10, median 15, p90 43, p99
 * 173, mean 25.1, top 10% holding 40%.
 */
export const GOWALLA_SHAPE: DatasetShape = {
  users: 29858,
  items: 40981,
  interactions: 1027370,
  userDegree: { shift: 9, median: 11, sigma: 1.3 },
  itemDegree: { shift: 9.5, median: 5.5, sigma: 1.43 },
  /** LightGCN's Gowalla split: 80% of each user's interactions to train, the rest to test */
  testShare: 0.2,
};

/**
 * MovieLens-1M (GroupLens' ratings.dat, all ratings as implicit feedback): 6,040 users, 3,706
 * rated movies, 1,000,209 ratings. User degrees: min 20 (the dataset's own floor), median 96,
 * mean 165.6; movie degrees: min 1, median 123.5, mean 269.9. The user law matches the floor,
 * the median and the mean (shift + median * exp(sigma^2 / 2) = mean); the movie law is wider
 * than its own fit because at this density avoiding repeats flattens the realised degrees
 * (drawn: median 125; the top movie 5,199 users against the real 3,428). Not in ../shared: this shape
 * stands in for it where only its size matters (timing the item-item models), never for a
 * quality figure.
 */
export const ML1M_SHAPE: DatasetShape = {
  users: 6040,
  items: 3706,
  interactions: 1000209,
  userDegree: { shift: 20, median: 76, sigma: 1.14 },
  itemDegree: { shift: 1, median: 100, sigma: 1.5 },
  testShare: 0.2,
};

export interface GowallaLikeOptions {
  /** interactions in all (train + test); users and items scale with it, as in the shape */
  readonly interactions: number;
  readonly seed?: number;
}

export interface GowallaLike extends Split {
  readonly nUsers: number;
  readonly nItems: number;
}

/** Fewer interactions leave too few items for Gowalla's user degrees. */
export const MIN_GOWALLA_LIKE = 2000;

function drawDegree(rng: Rng, law: DegreeLaw): number {
  return Math.round(law.shift + law.median * Math.exp(law.sigma * rng.normal()));
}

/** A Gowalla-shaped split at any size (see synthesizeShaped). */
export function synthesizeGowallaLike(o: GowallaLikeOptions): GowallaLike {
  return synthesizeShaped(GOWALLA_SHAPE, o);
}

/**
 * A user-item split shaped like a dataset at any size: users and items in its proportion to
 * the interactions (so its density, per node degrees and their tails are the dataset's), user
 * degrees drawn from its law, items chosen by weights drawn from its item law (so item degrees
 * follow it, Chung-Lu style), no repeated (user, item) pair, each user's interactions split
 * (1 - testShare) / testShare at random. Exactly `interactions` in all; typed arrays only, so
 * 10M take about a few seconds and 80 MB. Deterministic for a seed.
 */
export function synthesizeShaped(g: DatasetShape, o: GowallaLikeOptions): GowallaLike {
  const total = o.interactions;
  const nUsers = Math.max(1, Math.round((g.users * total) / g.interactions));
  const nItems = Math.max(1, Math.round((g.items * total) / g.interactions));
  const minDegree = Math.ceil(g.userDegree.shift);
  // a user needs room to pick distinct items; a cap only small datasets reach
  const maxDegree = Math.floor(nItems / 2);
  if (!Number.isInteger(total) || total < MIN_GOWALLA_LIKE)
    throw new RangeError(
      `synthetic data: interactions must be an integer >= ${MIN_GOWALLA_LIKE}, got ${total}`,
    );
  const rng = new Rng(o.seed ?? 7);

  const degree = new Int32Array(nUsers);
  let sum = 0;
  for (let u = 0; u < nUsers; u++) {
    degree[u] = Math.min(maxDegree, Math.max(minDegree, drawDegree(rng, g.userDegree)));
    sum += degree[u];
  }
  // exactly `total`: one interaction more or fewer for random users (about 0.5% of them move)
  while (sum !== total) {
    const u = rng.int(nUsers);
    if (sum < total && degree[u] < maxDegree) {
      degree[u]++;
      sum++;
    } else if (sum > total && degree[u] > minDegree) {
      degree[u]--;
      sum--;
    }
  }

  const weight = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) weight[i] = Math.max(1, drawDegree(rng, g.itemDegree));
  const items = new Sampler(
    Int32Array.from({ length: nItems }, (_, i) => i),
    weight,
  );

  let nTest = 0;
  for (let u = 0; u < nUsers; u++) nTest += Math.round(degree[u] * g.testShare);
  const train = { users: new Int32Array(total - nTest), items: new Int32Array(total - nTest) };
  const test = { users: new Int32Array(nTest), items: new Int32Array(nTest) };
  // pickedBy[i] = u + 1 once user u has item i: distinct items without a set per user
  const pickedBy = new Int32Array(nItems);
  let a = 0;
  let b = 0;
  for (let u = 0; u < nUsers; u++) {
    const d = degree[u];
    const firstTest = d - Math.round(d * g.testShare);
    for (let k = 0; k < d; k++) {
      let i = items.sample(rng);
      // after many repeats (a very active user), the next unpicked item from a random start
      for (let tries = 0; pickedBy[i] === u + 1; tries++)
        i = tries < 64 ? items.sample(rng) : (i + 1) % nItems;
      pickedBy[i] = u + 1;
      // draws are independent of their order, so the first 80% are a random 80%
      if (k < firstTest) {
        train.users[a] = u;
        train.items[a++] = i;
      } else {
        test.users[b] = u;
        test.items[b++] = i;
      }
    }
  }
  return {
    nUsers,
    nItems,
    train: { nUsers, nItems, ...train },
    test: { nUsers, nItems, ...test },
  };
}
