import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { projectRun, recommendForUser } from '../../../extension/worker/runJobs.js';

/**
 * A lastfm-social folder: 24 users (ids 2, 4, ..., 48) listening to 10 artists with names;
 * user 2 befriends users 4, 6 and 8, user 10 befriends 12.
 */
function lastfm(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-explain-lastfm-'));
  const listens = ['userID\tartistID\tweight'];
  for (let u = 0; u < 24; u++)
    for (let k = 0; k < 4; k++)
      listens.push(`${2 * (u + 1)}\t${100 + ((u + k * 3) % 10)}\t${10 + k}`);
  writeFileSync(join(dir, 'user_artists.dat'), `${listens.join('\n')}\n`);
  const friends = [
    [2, 4],
    [2, 6],
    [2, 8],
    [10, 12],
  ].flatMap(([a, b]) => [`${a}\t${b}`, `${b}\t${a}`]);
  writeFileSync(join(dir, 'user_friends.dat'), `userID\tfriendID\n${friends.join('\n')}\n`);
  const artists = ['id\tname\turl\tpictureURL'];
  for (let i = 0; i < 10; i++) artists.push(`${100 + i}\tBand ${i}\thttp://x\thttp://y`);
  writeFileSync(join(dir, 'artists.dat'), `${artists.join('\n')}\n`);
  return dir;
}

async function train(model: string, dataset: string): Promise<string> {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-explain-ws-'));
  let dir = '';
  await runExperiment(
    { dataset, model, epochs: 1, evalEvery: 0, threads: 1, seed: 5 },
    { workspace: ws, onStart: (s) => (dir = s.dir) },
  );
  return dir;
}

test("a user's detail on lastfm-social: their friends by id and index, the dataset's friendships on the plot", async () => {
  const dir = await train('mf', `lastfm-social:${lastfm()}`);
  const pca = await projectRun(dir, 'pca');
  assert.equal(pca.friendships, 4);
  const u = await recommendForUser(dir, '2', 3);
  assert.deepEqual(
    u.friends?.map((f) => [f.user, pca.ids[f.index]]),
    [
      ['4', '4'],
      ['6', '6'],
      ['8', '8'],
    ],
    "each friend's index is its point on the plot",
  );
  assert.deepEqual((await recommendForUser(dir, '14', 3)).friends, [], 'a user without friends');
  // mf: the paths, and the cosine reasons beside them
  assert.match(u.paths ?? '', /random walk P3alpha sums/);
  assert.match(u.because ?? '', /cosine/);
  for (const r of u.recommendations) {
    assert.ok(r.paths && r.paths.pathCount > 0, `${r.item} is reached by a walk`);
    assert.ok(r.paths.items.length > 0 && r.paths.items.length <= 3);
    for (const c of r.paths.items) {
      assert.ok(u.trainItems.includes(c.item), `${c.item} is in the history`);
      assert.match(c.label ?? '', /^Band \d$/);
      assert.ok(c.weight > 0 && c.weight <= 1);
    }
    assert.ok(r.because && r.because.length > 0);
  }
});

test('a graph model (lightgcn) is explained by its paths alone; a dataset without friends lists none', async () => {
  const dir = await train('lightgcn', 'demo');
  const pca = await projectRun(dir, 'pca');
  assert.equal(pca.friendships, undefined);
  const u = await recommendForUser(dir, '#0', 5);
  assert.equal(u.friends, undefined);
  assert.equal(u.because, undefined, 'no cosine reasons for a graph model');
  assert.ok(u.recommendations.every((r) => r.because === undefined && r.paths !== undefined));
  // the shares of all of a recommendation's history items sum to 1: the top 3 to at most 1
  for (const r of u.recommendations) {
    const sum = (r.paths?.items ?? []).reduce((s, c) => s + c.weight, 0);
    assert.ok(sum > 0 && sum <= 1 + 1e-12, `${r.item}: ${sum}`);
  }
});
