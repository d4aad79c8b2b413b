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
import type { Dataset } from './types.js';

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
