import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GOWALLA_PAPER,
  isGowalla,
  paperNumbers,
  paperReference,
  paperReferences,
} from '../../../src/eval/paperNumbers.js';

test('paper numbers: LightGCN, NGCF (LightGCN paper Table 3) and MF-BPR (NGCF paper Table 2)', () => {
  assert.deepEqual(
    Object.fromEntries(Object.entries(GOWALLA_PAPER).map(([m, p]) => [m, [p.recall, p.ndcg]])),
    { lightgcn: [0.1823, 0.1555], ngcf: [0.1569, 0.1327], mf: [0.1291, undefined] },
  );
  assert.match(GOWALLA_PAPER.mf.source, /NGCF paper, Table 2/);
});

test('Gowalla runs: by spec or by dataset name, nothing else', () => {
  assert.ok(isGowalla('gowalla:../shared/datasets/gowalla'));
  assert.ok(isGowalla('gowalla'));
  assert.ok(isGowalla('Gowalla'));
  assert.ok(!isGowalla('demo'));
  assert.ok(!isGowalla('yelp2018'));
  assert.ok(!isGowalla('lightgcn:datasets/yelp2018'));
  assert.ok(!isGowalla(undefined));
  assert.equal(paperNumbers('lightgcn', 'demo'), undefined);
  assert.equal(paperNumbers('itemknn', 'gowalla'), undefined);
  assert.equal(paperNumbers('toString', 'gowalla'), undefined, 'no prototype keys');
  assert.equal(paperNumbers(undefined, 'gowalla'), undefined);
  // the run's dataset label, or its spec: either one says Gowalla
  assert.equal(paperNumbers('ngcf', 'my-data', 'gowalla:data/gw')?.recall, 0.1569);
});

test('references: one per metric the paper reports, labelled, matched on metric and K', () => {
  assert.deepEqual(
    paperReferences('lightgcn', 'gowalla').map((r) => [r.metric, r.value, r.label]),
    [
      ['recall@20', 0.1823, 'LightGCN paper 0.1823'],
      ['ndcg@20', 0.1555, 'LightGCN paper 0.1555'],
    ],
  );
  // MF: Recall only, the NGCF paper's NDCG is another definition
  assert.deepEqual(
    paperReferences('mf', 'gowalla').map((r) => r.label),
    ['MF-BPR paper 0.1291'],
  );
  assert.equal(paperReference('ndcg@20', 'mf', 'gowalla'), undefined);
  assert.equal(paperReference('recall@20', 'ngcf', 'gowalla')?.value, 0.1569);
  assert.equal(paperReference('NDCG@20', 'ngcf', 'gowalla')?.value, 0.1327);
  assert.equal(paperReference('recall@10', 'lightgcn', 'gowalla'), undefined, 'K must match');
  assert.equal(paperReference('precision@20', 'lightgcn', 'gowalla'), undefined);
  assert.deepEqual(paperReferences('lightgcn', 'demo'), []);
});
