import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import { describe, formatDescription } from '../../../src/data/describe.js';
import type { Dataset } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { graphStructure, nodeCommunities } from '../../../src/graph/structure.js';

function userItems(nUsers: number, nItems: number, pairs: [number, number][]) {
  return buildCsr(
    nUsers,
    nItems,
    Int32Array.from(pairs.map(([u]) => u)),
    Int32Array.from(pairs.map(([, i]) => i)),
  );
}

const rngOf = (seed: number) => {
  const r = new Rng(seed);
  return () => r.next();
};

// Two complete bipartite blocks K(2,2): users 0,1 x items 0,1 and users 2,3 x items 2,3, and
// user 4 with no interaction. m = 8 edges; the two blocks as communities have modularity
// sum_c L_c/m - (d_c/2m)^2 = 2 (4/8 - (8/16)^2) = 0.5, the best partition of this graph.
const blocks = userItems(5, 4, [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
  [2, 2],
  [2, 3],
  [3, 2],
  [3, 3],
  [3, 3],
]);

test('components, the largest share and isolated nodes of a user-item graph', () => {
  const s = graphStructure(blocks, { rng: rngOf(1) });
  assert.equal(s.nodes, 9);
  assert.equal(s.edges, 8, 'a repeated pair is one edge');
  assert.equal(s.components, 3);
  assert.equal(s.isolatedNodes, 1);
  assert.equal(s.largestComponentShare, 4 / 9);
  assert.equal(s.sampledUsers, undefined);
});

test('Louvain finds the two blocks, modularity 0.5 by hand', () => {
  const s = graphStructure(blocks, { rng: rngOf(2) });
  // the isolated user is a community of its own, adding nothing to the modularity
  assert.equal(s.communities, 3);
  assert.ok(Math.abs(s.modularity - 0.5) < 1e-12, String(s.modularity));
});

test('above maxEdges a seeded sample of users is measured, and says so', () => {
  const a = graphStructure(blocks, { rng: rngOf(3), maxEdges: 4 });
  const b = graphStructure(blocks, { rng: rngOf(3), maxEdges: 4 });
  assert.deepEqual({ ...a, seconds: 0 }, { ...b, seconds: 0 });
  assert.equal(a.totalUsers, 5);
  assert.ok(a.edges <= 4 && a.sampledUsers !== undefined && a.sampledUsers < 5);
});

test('the inspector prints the structure it is given', () => {
  const ds: Dataset = {
    name: 'blocks',
    sources: [],
    userIds: { ids: [], index: new Map() },
    itemIds: { ids: [], index: new Map() },
    interactions: {
      nUsers: 5,
      nItems: 4,
      users: Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]),
      items: Int32Array.from([0, 1, 0, 1, 2, 3, 2, 3]),
    },
  };
  const text = formatDescription(
    describe(ds, undefined, graphStructure(blocks, { rng: rngOf(1) })),
  );
  assert.match(text, /components\s+3 \(largest holds 44\.4% of nodes; 1 isolated\)/);
  assert.match(text, /communities\s+3 \(Louvain, modularity 0\.500;/);
});

test("each node's community: the two blocks, users with their items; left-out nodes -1", () => {
  const c = nodeCommunities(blocks, { rng: rngOf(2) });
  assert.equal(c.count, 3);
  assert.ok(Math.abs(c.modularity - 0.5) < 1e-12);
  const [u0, u1, u2, u3, u4, i0, i1, i2, i3] = c.community;
  assert.ok(u0 === u1 && u1 === i0 && i0 === i1, 'block 1 is one community');
  assert.ok(u2 === u3 && u3 === i2 && i2 === i3, 'block 2 is one community');
  assert.notEqual(u0, u2);
  assert.ok(u4 !== u0 && u4 !== u2, 'the isolated user is on its own');
  assert.equal(c.sampledUsers, undefined);
  // a sample (one block's worth of edges): the nodes it leaves out have no community
  const s = nodeCommunities(blocks, { rng: rngOf(3), maxEdges: 4 });
  assert.equal(s.totalUsers, 5);
  const left = [...s.community].filter((x) => x === -1).length;
  assert.ok(left > 0 && left < 9, `${left} nodes left out`);
});
