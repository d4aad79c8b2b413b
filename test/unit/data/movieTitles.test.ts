import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/index.js';
import { itemCategory, itemLabels } from '../../../extension/shared/similarItems.js';

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-movies-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('ml-100k: titles from u.item (Latin-1) and genres from its flags named by u.genre', async () => {
  const dir = folder({
    'u.data': '1\t50\t5\t881250949\n2\t1\t4\t881250950\n2\t7\t3\t881250951\n',
    // "Café" in Latin-1, as MovieLens ships it
    'u.item': Buffer.concat([
      Buffer.from(
        '1|Toy Story (1995)|01-Jan-1995||http://x|0|0|1|1\n50|Star Wars (1977)|01-Jan-1977||http://y|0|1|1|0\n',
      ),
      Buffer.from('7|Caf', 'latin1'),
      Buffer.from([0xe9]),
      Buffer.from(' (1990)|01-Jan-1990||http://z|0|0|0|1\n'),
    ]),
    'u.genre': 'unknown|0\nAction|1\nAdventure|2\nAnimation|3\n\n',
  });
  const ds = await loadDataset(`movielens:${join(dir, 'u.data')}`);
  const labels = itemLabels(ds.itemFeatures);
  const byId = (id: string) => ds.itemIds.index.get(id) ?? -1;
  assert.equal(labels?.[byId('50')], 'Star Wars (1977)');
  assert.equal(labels?.[byId('1')], 'Toy Story (1995)');
  assert.equal(labels?.[byId('7')], 'Café (1990)', 'read as Latin-1');
  assert.equal(itemCategory(ds.itemFeatures)?.values[byId('50')], 'Action');
  assert.equal(itemCategory(ds.itemFeatures)?.values[byId('1')], 'Adventure');
});

test('ml-1m: movies.dat; ml-latest: movies.csv with quoted titles; none: no titles', async () => {
  const dat = folder({
    'ratings.dat': '1::2::5::978300760\n',
    'movies.dat': "2::Jumanji (1995)::Adventure|Children's|Fantasy\n",
  });
  const ml1m = await loadDataset(`movielens:${join(dat, 'ratings.dat')}`);
  assert.deepEqual(itemLabels(ml1m.itemFeatures), ['Jumanji (1995)']);
  assert.deepEqual(itemCategory(ml1m.itemFeatures)?.values, ['Adventure']);
  const csv = folder({
    'ratings.csv': 'userId,movieId,rating,timestamp\n1,11,4.0,964982703\n',
    'movies.csv':
      'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama|Romance\n',
  });
  const latest = await loadDataset(`movielens:${join(csv, 'ratings.csv')}`);
  assert.deepEqual(itemLabels(latest.itemFeatures), ['American President, The (1995)']);
  const bare = folder({ 'u.data': '1\t50\t5\t881250949\n' });
  assert.equal((await loadDataset(`movielens:${join(bare, 'u.data')}`)).itemFeatures, undefined);
  const bad = folder({ 'ratings.dat': '1::2::5::978300760\n', 'movies.dat': '2::Jumanji\n' });
  await assert.rejects(
    loadDataset(`movielens:${join(bad, 'ratings.dat')}`),
    new RegExp(`${join(bad, 'movies.dat')}:1: expected MovieID::Title::Genres`),
  );
});
