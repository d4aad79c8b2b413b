import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sniffDataset } from '../../../extension/datasets/sniff.js';

test('recognises the dataset formats by name and first line', () => {
  assert.deepEqual(
    sniffDataset('data/gowalla/train.txt', ['0 1 2 3', '1 4 5'], ['train.txt', 'test.txt']),
    {
      spec: 'gowalla:data/gowalla',
      kind: 'gowalla',
      path: 'data/gowalla',
    },
  );
  assert.equal(
    sniffDataset('notes/train.txt', ['hello world'], ['train.txt', 'test.txt']),
    undefined,
  );
  assert.equal(
    sniffDataset('ml/ratings.dat', ['1::1193::5::978300760'], [])?.spec,
    'movielens:ml/ratings.dat',
  );
  assert.equal(sniffDataset('ml-100k/u.data', ['196\t242\t3\t881250949'], [])?.kind, 'movielens');
  assert.equal(
    sniffDataset('x/ml-100k.inter', ['user_id:token\titem_id:token'], [])?.kind,
    'recbole',
  );
  assert.equal(
    sniffDataset('clicks.csv', ['user_id,item_id,timestamp'], [])?.spec,
    'csv:clicks.csv',
  );
  assert.equal(sniffDataset('sales.csv', ['date,amount'], []), undefined);
});
