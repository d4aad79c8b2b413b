import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogEntry } from '../../../src/data/download/catalog.js';
import { fingerprintSources, type SourceFile } from '../../../src/data/fingerprint.js';
import {
  GOWALLA_PAPER,
  GOWALLA_PINS,
  isPaperGowalla,
  paperNumbers,
  paperReference,
  paperReferences,
} from '../../../src/eval/paperNumbers.js';

/** A folder named gowalla in the LightGCN layout, with data that is not the papers'. */
function fakeGowalla(): { dir: string; files: SourceFile[] } {
  const dir = join(mkdtempSync(join(tmpdir(), 'reclab-paper-')), 'gowalla');
  mkdirSync(dir);
  writeFileSync(join(dir, 'train.txt'), '0 0 1\n1 1 2\n2 0 2\n3 0 3\n');
  writeFileSync(join(dir, 'test.txt'), '0 2\n1 0\n2 1\n3 1\n');
  return { dir, files: fingerprintSources([join(dir, 'train.txt'), join(dir, 'test.txt')]) };
}

test('paper numbers: LightGCN, NGCF (LightGCN paper Table 3) and MF-BPR (NGCF paper Table 2)', () => {
  assert.deepEqual(
    Object.fromEntries(Object.entries(GOWALLA_PAPER).map(([m, p]) => [m, [p.recall, p.ndcg]])),
    { lightgcn: [0.1823, 0.1555], ngcf: [0.1569, 0.1327], mf: [0.1291, undefined] },
  );
  assert.match(GOWALLA_PAPER.mf.source, /NGCF paper, Table 2/);
});

test("the papers' Gowalla is the download catalog's pinned train.txt and test.txt", () => {
  const pinned = catalogEntry('gowalla').files.map((f) => [f.name, f.sha256]);
  assert.deepEqual(pinned, [
    ['train.txt', GOWALLA_PINS[0]],
    ['test.txt', GOWALLA_PINS[1]],
  ]);
  assert.match(GOWALLA_PINS.join(' '), /^[0-9a-f]{64} [0-9a-f]{64}$/);
});

test('a LightGCN-layout folder named gowalla whose files are not the pinned ones gets no paper number', () => {
  const { files } = fakeGowalla();
  assert.equal(files.length, 2);
  assert.equal(paperNumbers('lightgcn', { files }), undefined);
  assert.deepEqual(paperReferences('lightgcn', { files }), []);
  assert.equal(isPaperGowalla({ files }), false);
  // no fingerprint at all (a run of unknown data): none either
  assert.equal(paperNumbers('lightgcn', {}), undefined);
});

test('files hashing to the pins get the paper number, on the given split only, in train/test order', () => {
  const { files } = fakeGowalla();
  const pins = files.map((f) => f.sha256);
  assert.equal(paperNumbers('lightgcn', { files }, pins)?.recall, 0.1823);
  assert.equal(paperNumbers('ngcf', { files, split: { type: 'given' } }, pins)?.recall, 0.1569);
  // the same files split another way are not the papers' test set
  assert.equal(
    paperNumbers('lightgcn', { files, split: { type: 'ratio', ratios: [0.8, 0.1, 0.1] } }, pins),
    undefined,
  );
  // train and test swapped, or a third file: another protocol
  assert.equal(paperNumbers('lightgcn', { files: [files[1], files[0]] }, pins), undefined);
  assert.equal(paperNumbers('lightgcn', { files: [...files, files[0]] }, pins), undefined);
  assert.equal(paperNumbers('itemknn', { files }, pins), undefined);
  assert.equal(paperNumbers('toString', { files }, pins), undefined, 'no prototype keys');
  assert.equal(paperNumbers(undefined, { files }, pins), undefined);
});

test('references: one per metric the paper reports, labelled, matched on metric and K', () => {
  const { files } = fakeGowalla();
  const pins = files.map((f) => f.sha256);
  assert.deepEqual(
    paperReferences('lightgcn', { files }, pins).map((r) => [r.metric, r.value, r.label]),
    [
      ['recall@20', 0.1823, 'LightGCN paper 0.1823'],
      ['ndcg@20', 0.1555, 'LightGCN paper 0.1555'],
    ],
  );
  // MF: Recall only, the NGCF paper's NDCG is another definition
  assert.deepEqual(
    paperReferences('mf', { files }, pins).map((r) => r.label),
    ['MF-BPR paper 0.1291'],
  );
  assert.equal(paperReference('ndcg@20', 'mf', { files }, pins), undefined);
  assert.equal(paperReference('recall@20', 'ngcf', { files }, pins)?.value, 0.1569);
  assert.equal(paperReference('NDCG@20', 'ngcf', { files }, pins)?.value, 0.1327);
  assert.equal(paperReference('recall@10', 'lightgcn', { files }, pins), undefined, 'K must match');
  assert.equal(paperReference('precision@20', 'lightgcn', { files }, pins), undefined);
});
