import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset, sniffFormat } from '../../../src/data/dataset.js';
import { formatDatasetSpec, parseDatasetSpec } from '../../../src/data/spec.js';
import { InputError } from '../../../src/util/errors.js';
import { fixture, rejectsInput, tempFile } from './helpers.js';

test('spec: prefixes, file lists, plain paths, demo settings, options', () => {
  assert.deepEqual(parseDatasetSpec('demo'), { format: 'demo', demo: {} });
  assert.deepEqual(parseDatasetSpec('demo:users=50,seed=3'), {
    format: 'demo',
    demo: { users: 50, seed: 3 },
  });
  assert.deepEqual(parseDatasetSpec('gowalla:data/gowalla'), {
    format: 'lightgcn',
    path: 'data/gowalla',
  });
  assert.deepEqual(parseDatasetSpec('lightgcn:a/train.txt,a/test.txt,a/valid.txt'), {
    format: 'lightgcn',
    path: 'a/train.txt',
    test: 'a/test.txt',
    valid: 'a/valid.txt',
  });
  assert.deepEqual(parseDatasetSpec('tsv:x.tsv'), {
    format: 'delimited',
    path: 'x.tsv',
    delimiter: '\t',
  });
  assert.deepEqual(parseDatasetSpec('C:\\data\\x.csv'), {
    format: 'auto',
    path: 'C:\\data\\x.csv',
  });
  assert.deepEqual(parseDatasetSpec('./ratings.csv', { header: true, columns: { user: 'uid' } }), {
    format: 'auto',
    path: './ratings.csv',
    header: true,
    columns: { user: 'uid' },
  });
  assert.equal(parseDatasetSpec('csv:x', { format: 'movielens' }).format, 'movielens');
  assert.equal(formatDatasetSpec(parseDatasetSpec('csv:a.csv,b.csv')), 'csv:a.csv,b.csv');
  assert.equal(formatDatasetSpec(parseDatasetSpec('demo:users=5')), 'demo:users=5');
  assert.throws(() => parseDatasetSpec(''), InputError);
  assert.throws(() => parseDatasetSpec('csv:'), InputError);
  assert.throws(() => parseDatasetSpec('demo:colour=3'), /demo settings/);
});

test('loadDataset: format sniffing from folders, names and content', async () => {
  assert.equal(await sniffFormat(fixture('lightgcn')), 'lightgcn');
  assert.equal(await sniffFormat(fixture('lightgcn', 'train.txt')), 'lightgcn');
  assert.equal(await sniffFormat(fixture('lastfm-kg')), 'lastfm-kg');
  assert.equal(await sniffFormat(fixture('recbole')), 'recbole');
  assert.equal(await sniffFormat(fixture('recbole', 'toy.inter')), 'recbole');
  assert.equal(await sniffFormat(fixture('movielens')), 'movielens');
  assert.equal(await sniffFormat(fixture('movielens', 'ratings.dat')), 'movielens');
  assert.equal(await sniffFormat(fixture('delimited', 'spaces.txt')), 'delimited');
  // four ints per line, always four: a table, not LightGCN
  assert.equal(await sniffFormat(tempFile('four.txt', '1 2 3 4\n5 6 7 8\n')), 'delimited');
  await rejectsInput(
    sniffFormat(fixture('sessions')),
    fixture('sessions'),
    undefined,
    /dataset folder/,
  );
  await rejectsInput(
    loadDataset('nowhere/x.csv'),
    'nowhere/x.csv',
    undefined,
    /existing file or folder/,
  );
});

test('loadDataset: each spec kind loads', async () => {
  const lg = await loadDataset(
    `lightgcn:${fixture('lightgcn', 'train.txt')},${fixture('lightgcn', 'test.txt')}`,
  );
  assert.equal(lg.name, 'lightgcn');
  assert.equal(lg.given?.test.users.length, 4); // user 2 has no training items
  assert.equal((await loadDataset(`gowalla:${fixture('lightgcn')}`)).given?.valid?.users.length, 2);
  assert.equal(
    (await loadDataset(`movielens:${fixture('movielens')}`)).interactions.users.length,
    5,
  );
  assert.equal(
    (await loadDataset(fixture('movielens', 'ratings.csv'))).interactions.users.length,
    4,
  );
  assert.equal((await loadDataset(`recbole:${fixture('recbole', 'toy.inter')}`)).kg?.nRelations, 2);
  assert.equal((await loadDataset(`lastfm-kg:${fixture('lastfm-kg')}`)).kg?.nEntities, 6);
  const csv = await loadDataset(`csv:${fixture('delimited', 'semicolon.csv')}`, {
    columns: { rating: null },
  });
  assert.equal(csv.name, 'semicolon');
  assert.equal(csv.interactions.ratings, undefined);
  const obj = await loadDataset({
    format: 'delimited',
    path: fixture('movielens', 'u.data'),
    header: false,
    name: 'u',
  });
  assert.equal(obj.name, 'u');
  // the CLI's --train/--test/--format flags become `<format>:<train>,<test>[,<valid>]`
  const auto = await loadDataset(
    `auto:${fixture('lightgcn', 'train.txt')},${fixture('lightgcn', 'test.txt')}`,
  );
  assert.equal(auto.given?.train.users.length, 8);
  const csvGiven = await loadDataset(
    `csv:${fixture('movielens', 'u.data')},${fixture('movielens', 'u.data')}`,
  );
  assert.equal(csvGiven.given?.test.users.length, 5);
  const demo = await loadDataset('demo:users=30,items=40,seed=1');
  assert.equal(demo.interactions.nUsers, 30);
  await rejectsInput(
    loadDataset(`lastfm-kg:${fixture('lightgcn', 'train.txt')}`),
    fixture('lightgcn', 'train.txt'),
    undefined,
    /lastfm-kg folder/,
  );
});
