import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { itemCategory } from '../../../extension/shared/similarItems.js';
import { effectiveParams, projectionKey } from '../../../extension/shared/projectionParams.js';
import {
  contributingItems,
  nearestItems,
  popularityRank,
  rowNorms,
} from '../../../extension/worker/neighbours.js';
import { inspectItem, projectRun, recommendForUser } from '../../../extension/worker/runJobs.js';

test('nearest items: cosine ignores length, dot favours long vectors, never the item itself', () => {
  // item 0 points along x; 1 is along x but short; 2 is long and 45° off; 3 is opposite
  const items = Float32Array.from([1, 0, 0.1, 0, 3, 3, -1, 0]);
  const cos = nearestItems(items, 2, 0, 3, 'cosine');
  assert.deepEqual(
    cos.map((s) => s.index),
    [1, 2, 3],
  );
  assert.ok(Math.abs(cos[0].score - 1) < 1e-6 && Math.abs(cos[2].score + 1) < 1e-6);
  assert.deepEqual(
    nearestItems(items, 2, 0, 2, 'dot').map((s) => s.index),
    [2, 1],
    'the long vector scores highest by dot product',
  );
  assert.deepEqual(nearestItems(items, 2, 9, 3, 'cosine'), [], 'no such item');
  assert.equal(nearestItems(items, 2, 0, 10, 'dot').length, 3, 'k beyond the catalogue');
  // ties go to the lower index; a zero vector scores 0
  const tied = Float32Array.from([1, 0, 2, 0, 2, 0, 0, 0]);
  assert.deepEqual(
    nearestItems(tied, 2, 0, 3, 'cosine').map((s) => [s.index, s.score]),
    [
      [1, 1],
      [2, 1],
      [3, 0],
    ],
  );
});

test("a recommendation's reasons: the user's items most similar to it, the item itself left out", () => {
  const items = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0.7, 0.7]);
  const norms = rowNorms(items, 2);
  const why = contributingItems(items, 2, [0, 2, 3], 1, 2, norms);
  assert.deepEqual(
    why.map((c) => c.index),
    [0, 3],
  );
  assert.ok(why[0].score > why[1].score);
  assert.deepEqual(contributingItems(items, 2, [], 1, 3, norms), [], 'no history, no reasons');
});

test('popularity rank: 1 for the most users, ties share the better rank', () => {
  const d = [5, 9, 5, 1];
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => popularityRank(d, i)),
    [2, 1, 2, 4],
  );
});

test("an item's category: its first genre, from MovieLens's '|' lists or RecBole's token_seq", () => {
  const ml = itemCategory({
    columns: ['title', 'genres'],
    values: { title: ['a', 'b', 'c'], genres: ['Action|Comedy', '', 'Drama'] },
  });
  assert.deepEqual(ml, { name: 'genre', values: ['Action', '', 'Drama'] });
  const rb = itemCategory({
    columns: ['movie_title', 'class'],
    values: { movie_title: ['x'], class: ["Children's Comedy"] },
  });
  assert.deepEqual(rb, { name: 'genre', values: ["Children's"] });
  assert.equal(itemCategory({ columns: ['name'], values: { name: ['Björk'] } }), undefined);
  assert.equal(itemCategory(undefined), undefined);
});

test('UMAP / t-SNE settings: held to their ranges, defaults filled in, one key per layout', () => {
  assert.deepEqual(effectiveParams('umap'), { neighbors: 15, minDist: 0.1, sample: 5000 });
  assert.deepEqual(effectiveParams('tsne', { perplexity: 1000, sample: 10 ** 9, neighbors: 3 }), {
    perplexity: 100,
    sample: 4000,
  });
  assert.deepEqual(effectiveParams('umap', { neighbors: 7.6, minDist: -1, sample: Number.NaN }), {
    neighbors: 8,
    minDist: 0,
    sample: 5000,
  });
  assert.equal(projectionKey('umap', {}), projectionKey('umap', { neighbors: 15 }));
  assert.notEqual(projectionKey('umap', {}), projectionKey('umap', { neighbors: 30 }));
  assert.equal(projectionKey('pca', { neighbors: 30 }), 'pca');
});

/** A RecBole dataset of 30 users and 12 films with titles and genres, in a temp folder. */
function miniRecBole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-emb-'));
  const inter = ['user_id:token\titem_id:token\trating:float\ttimestamp:float'];
  for (let u = 1; u <= 30; u++)
    for (let k = 0; k < 6; k++)
      inter.push(`${u}\t${1 + ((u * 5 + k * 7) % 12)}\t4\t${u * 100 + k}`);
  writeFileSync(join(dir, 'mini.inter'), `${inter.join('\n')}\n`);
  const item = ['item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq'];
  for (let i = 1; i <= 12; i++)
    item.push(
      `${i}\tFilm ${String.fromCharCode(64 + i)}\t1995\t${i % 2 ? 'Action Comedy' : 'Drama'}`,
    );
  writeFileSync(join(dir, 'mini.item'), `${item.join('\n')}\n`);
  return join(dir, 'mini.inter');
}

test('a run on a dataset with titles: labels and genres on the plot, item and user details', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-emb-ws-'));
  let dir = '';
  await runExperiment(
    { dataset: `recbole:${miniRecBole()}`, model: 'mf', epochs: 2, threads: 1, seed: 3 },
    { workspace: ws, onStart: (s) => (dir = s.dir) },
  );
  const pca = await projectRun(dir, 'pca');
  const n = pca.nUsers + pca.nItems;
  assert.equal(pca.labels?.length, n);
  const film = pca.ids.findIndex((id, k) => k >= pca.nUsers && id === '3');
  assert.equal(pca.labels?.[film], 'Film C');
  assert.equal(pca.labels?.[0], '', 'users have no label');
  assert.equal(pca.category?.name, 'genre');
  assert.equal(pca.category?.values[film], 'Action');

  // UMAP on a sample of the size asked for, with the settings it used
  const umap = await projectRun(dir, 'umap', undefined, { sample: 20, neighbors: 5 });
  assert.equal(umap.x.length, 20);
  assert.deepEqual(umap.params, { neighbors: 5, minDist: 0.1, sample: 20 });
  assert.equal(umap.labels?.length, 20);
  const nodes = umap.nodes ?? new Int32Array();
  for (let k = 0; k < 20; k++) assert.equal(umap.labels?.[k], pca.labels?.[nodes[k]]);

  const index = film - pca.nUsers;
  const d = await inspectItem(dir, index, 4);
  assert.equal(d.neighbours?.cosine.length, 4);
  assert.equal(d.neighbours?.dot.length, 4);
  assert.ok(d.neighbours?.cosine.every((s) => s.index !== index && /^Film /.test(s.label ?? '')));
  assert.equal(d.popularity.degree, pca.degree[film]);
  assert.equal(d.users.length, d.popularity.degree, 'every user who has it (fewer than 100)');
  assert.ok(d.popularity.rank >= 1 && d.popularity.rank <= 12 && d.popularity.items === 12);
  await assert.rejects(inspectItem(dir, 99, 4), /item index below 12/);

  const u = await recommendForUser(dir, '#0', 3);
  assert.equal(u.trainLabels?.length, u.trainItems.length);
  assert.match(u.because ?? '', /cosine/);
  for (const r of u.recommendations) {
    assert.match(r.label ?? '', /^Film /);
    assert.ok(r.because && r.because.length > 0 && r.because.length <= 3);
    for (const c of r.because)
      assert.ok(u.trainItems.includes(c.item), `${c.item} is in the history`);
  }
});
