/** Model contexts for the walk models' tests: a fixed toy and a seeded random user-item graph. */
import { buildCsr } from '../../../src/data/csr.js';
import type { Interactions } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import type { ModelContext } from '../../../src/models/types.js';

export function contextOf(train: Interactions): ModelContext {
  const { nUsers, nItems, users, items } = train;
  return {
    train,
    trainCsr: buildCsr(nUsers, nItems, users, items),
    trainCsrT: buildCsr(nItems, nUsers, items, users),
    rng: new Rng(1),
    threads: 1,
    log: () => undefined,
  };
}

/** Users with 1..7 items each, popular items likelier; repeats are kept (the models drop them). */
export function randomTrain(nUsers: number, nItems: number, seed: number): Interactions {
  const rng = new Rng(seed);
  const us: number[] = [];
  const is: number[] = [];
  for (let u = 0; u < nUsers; u++)
    for (let k = 1 + rng.int(7); k > 0; k--) {
      us.push(u);
      is.push(Math.floor(nItems * rng.next() ** 2));
    }
  return { nUsers, nItems, users: Int32Array.from(us), items: Int32Array.from(is) };
}

/** The binary user x item matrix of the interactions, as float64 rows. */
export function denseR(x: Interactions): number[][] {
  const r = Array.from({ length: x.nUsers }, () => new Array<number>(x.nItems).fill(0));
  x.users.forEach((u, k) => (r[u][x.items[k]] = 1));
  return r;
}
