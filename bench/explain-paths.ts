/**
 * `npm run bench -- explain-paths [--users 300]`: "why recommended" by random-walk paths on
 * Gowalla's training graph (src/graph/explainPaths.ts): for a spread of users, their top 20 by
 * 3-step walk probability (what P3alpha ranks by, before its pruning), then the paths to those
 * 20, timed. Prints the graph's build time and the per-user times; last line JSON.
 */
import { parseArgs } from 'node:util';
import { buildCsr } from '../src/data/csr.js';
import { loadDataset } from '../src/data/dataset.js';
import { bipartiteGraph, type BipartiteGraph } from '../src/graph/bipartite.js';
import { explainPaths } from '../src/graph/explainPaths.js';
import { requireSharedDataset } from './common.js';

/** The k items a 3-step walk from u ends on most often, u's own left out. */
function topByWalk(g: BipartiteGraph, u: number, k: number): number[] {
  const { nUsers, nItems, indptr, indices } = g;
  const inv = (v: number) => 1 / (indptr[v + 1] - indptr[v]);
  const acc = new Float64Array(nItems);
  for (let p = indptr[u]; p < indptr[u + 1]; p++) {
    const j = indices[p];
    const w = inv(u) * inv(j);
    for (let q = indptr[j]; q < indptr[j + 1]; q++) {
      const v = indices[q];
      for (let r = indptr[v]; r < indptr[v + 1]; r++) acc[indices[r] - nUsers] += w * inv(v);
    }
  }
  for (let p = indptr[u]; p < indptr[u + 1]; p++) acc[indices[p] - nUsers] = 0;
  return Array.from(acc.keys())
    .sort((a, b) => acc[b] - acc[a] || a - b)
    .slice(0, k);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: 'string', default: '300' } } });
  const nSample = Number(values.users);
  const ds = await loadDataset(`gowalla:${requireSharedDataset('gowalla')}`);
  const train = ds.given?.train ?? ds.interactions;
  const t0 = performance.now();
  const g = bipartiteGraph(buildCsr(train.nUsers, train.nItems, train.users, train.items));
  const graphMs = performance.now() - t0;
  const degree = (u: number) => g.indptr[u + 1] - g.indptr[u];
  // every (nUsers / nSample)-th user, and the most active one
  let heaviest = 0;
  for (let u = 1; u < g.nUsers; u++) if (degree(u) > degree(heaviest)) heaviest = u;
  const users = [
    ...Array.from({ length: nSample }, (_, s) => Math.floor((s * g.nUsers) / nSample)),
    heaviest,
  ];
  const times: number[] = [];
  let paths = 0;
  for (const u of users) {
    const items = topByWalk(g, u, 20);
    const t = performance.now();
    const e = explainPaths(g, u, items);
    times.push(performance.now() - t);
    paths += e.reduce((s, x) => s + x.pathCount, 0);
  }
  const heaviestMs = times[times.length - 1];
  times.sort((a, b) => a - b);
  const at = (f: number) => Number(times[Math.floor(f * (times.length - 1))].toFixed(2));
  const out = {
    users: users.length,
    graphMs: Number(graphMs.toFixed(0)),
    medianMs: at(0.5),
    p95Ms: at(0.95),
    maxMs: at(1),
    heaviestUser: { degree: degree(heaviest), ms: Number(heaviestMs.toFixed(2)) },
    meanPathsPerUser: Math.round(paths / users.length),
  };
  console.log(
    `Gowalla graph built in ${out.graphMs} ms; one user's top-20 paths: median ${out.medianMs} ms, p95 ${out.p95Ms} ms, max ${out.maxMs} ms (${out.users} users; the most active, ${out.heaviestUser.degree} items: ${out.heaviestUser.ms} ms)`,
  );
  console.log(JSON.stringify(out));
}

void main();
