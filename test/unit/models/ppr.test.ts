import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { Ppr, PPR_DEFAULTS } from '../../../src/models/ppr.js';
import { denseRwr } from '../graph/dense.js';
import { contextOf, randomTrain } from './walkContext.js';

test("ppr scores are the user's PPR on the item nodes, within the push guarantee eps |U_i| / vol", () => {
  const x = randomTrain(25, 15, 4);
  const g = bipartiteGraph(buildCsr(x.nUsers, x.nItems, x.users, x.items));
  const vol = g.indptr[g.nRows];
  let largest = 0;
  for (const h of [PPR_DEFAULTS, { restart: 0.15, eps: 3 }]) {
    const m = new Ppr(contextOf(x), h);
    const users = Int32Array.of(0, 7, 24);
    const out = new Float32Array(users.length * x.nItems);
    m.score(users, out);
    users.forEach((u, r) => {
      const s = new Array<number>(g.nRows).fill(0);
      s[u] = 1;
      const exact = denseRwr(g, s, h.restart);
      for (let i = 0; i < x.nItems; i++) {
        const node = x.nUsers + i;
        const gap = exact[node] - out[r * x.nItems + i];
        const d = g.indptr[node + 1] - g.indptr[node];
        const bound = (h.eps * d) / vol;
        assert.ok(gap > -1e-7 && gap < bound + 1e-7, `user ${u} item ${i}: gap ${gap}`);
        largest = Math.max(largest, gap / bound);
      }
    });
  }
  // the bound is approached, not vacuous
  assert.ok(largest > 0.05, `largest gap ${largest} of its bound`);
});

test("ppr ranks a user's unseen items as the exact PPR does, training items excluded", async () => {
  // u0 {i0, i1}, u1 {i1, i2}, u2 {i2, i3}, u3 {i0, i4}
  const x = {
    nUsers: 4,
    nItems: 5,
    users: Int32Array.of(0, 0, 1, 1, 2, 2, 3, 3),
    items: Int32Array.of(0, 1, 1, 2, 2, 3, 0, 4),
  };
  const ctx = contextOf(x);
  const lists = await new Ppr(ctx, { eps: 1e-9 })
    .ranker()
    .topK(Int32Array.of(0), 3, [ctx.trainCsr]);
  const g = bipartiteGraph(ctx.trainCsr);
  const exact = denseRwr(g, [1, 0, 0, 0, 0, 0, 0, 0, 0], PPR_DEFAULTS.restart);
  const unseen = [2, 3, 4].sort((a, b) => exact[4 + b] - exact[4 + a]);
  assert.deepEqual(Array.from(lists), unseen);
  // i2 (via u1) and i4 (via u3) are two hops away, i3 four: it comes last
  assert.equal(lists[2], 3);
});

test('ppr refuses a restart probability outside (0, 1) and an eps not above 0', () => {
  const ctx = contextOf(randomTrain(3, 3, 1));
  assert.throws(
    () => new Ppr(ctx, { restart: 1 }),
    /ppr hyperparameters: expected restart between 0 and 1 \(exclusive\) \(found "restart=1"\)/,
  );
  assert.throws(() => new Ppr(ctx, { eps: 0 }), /found "eps=0"/);
});
