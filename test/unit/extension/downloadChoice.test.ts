import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  catalogPickItems,
  datasetsParent,
  licenceDialog,
  progressMessage,
  ProgressIncrements,
} from '../../../extension/datasets/downloadChoice.js';
import { sniffDataset } from '../../../extension/datasets/sniff.js';
import { CATALOG, catalogEntry } from '../../../src/data/download/catalog.js';
import type { DownloadProgress } from '../../../src/data/download/download.js';

test('pick items: title, id and size, licence in the detail; downloaded ones marked', () => {
  const items = catalogPickItems(CATALOG, (id) => id === 'gowalla');
  assert.equal(items.length, CATALOG.length);
  const ml = items.find((i) => i.id === 'ml-100k');
  assert.deepEqual(ml && [ml.label, ml.description], ['MovieLens 100K', 'ml-100k · ~5.0 MB']);
  assert.match(ml?.detail ?? '', /^research only, no redistribution — 943 users/);
  assert.equal(items.find((i) => i.id === 'gowalla')?.description, 'gowalla · 6.0 MB · downloaded');
});

test('the licence dialog shows the source URL, the licence and where it goes', () => {
  const d = licenceDialog(catalogEntry('ml-1m'), '/ws/datasets/ml-1m');
  assert.equal(d.message, 'Download MovieLens 1M (~6.0 MB)?');
  assert.ok(d.detail.includes('Source: https://grouplens.org/datasets/movielens/1m/'));
  assert.ok(d.detail.includes('Licence: GroupLens usage licence: research use only'));
  assert.ok(d.detail.includes('Harper'));
  assert.ok(d.detail.includes('No checksum is pinned'));
  assert.ok(d.detail.includes('Saved to: /ws/datasets/ml-1m'));
  assert.ok(licenceDialog(catalogEntry('gowalla'), 'x').detail.includes('sha256 of every file'));
});

test('datasets folder: the setting under the workspace, absolute kept, default datasets', () => {
  assert.equal(datasetsParent('/ws', undefined), join('/ws', 'datasets'));
  assert.equal(datasetsParent('/ws', '  '), join('/ws', 'datasets'));
  assert.equal(datasetsParent('/ws', 'data/bench'), join('/ws', 'data/bench'));
  assert.equal(datasetsParent('/ws', '/srv/data'), '/srv/data');
});

function events(sizes: number[], chunk: number): DownloadProgress[] {
  const out: DownloadProgress[] = [];
  const totalAll = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  sizes.forEach((size, index) => {
    for (let r = chunk; r < size + chunk; r += chunk) {
      const received = Math.min(r, size);
      out.push({
        phase: 'download',
        file: `f${index}`,
        index,
        count: sizes.length,
        received,
        total: size,
        receivedAll: done + received,
        totalAll,
      });
    }
    done += size;
  });
  return out;
}

test('progress increments: whole percents adding up to 100, few reports, MB messages', () => {
  const inc = new ProgressIncrements();
  const evs = events([4_633_414, 1_372_559], 16_384);
  const reports = evs.map((e) => inc.next(e)).filter((r) => r !== undefined);
  assert.equal(
    reports.reduce((a, r) => a + r.increment, 0),
    100,
  );
  assert.ok(reports.every((r) => r.increment >= 0 && Number.isInteger(r.increment)));
  // at most one report per percent and per tenth of a MB (6 MB here)
  assert.ok(reports.length <= 100 + 62, `${reports.length} reports for ${evs.length} chunks`);
  assert.equal(reports.at(-1)?.message, 'f1 (2/2): 1.4 MB of 1.4 MB');
  // unknown sizes: by file
  const byFile = new ProgressIncrements();
  const first = byFile.next({
    phase: 'download',
    file: 'a',
    index: 0,
    count: 2,
    received: 10,
    receivedAll: 10,
  });
  assert.deepEqual(first, { increment: 0, message: 'a (1/2): 0.0 MB' });
  const second = byFile.next({
    phase: 'download',
    file: 'b',
    index: 1,
    count: 2,
    received: 0,
    receivedAll: 10,
  });
  assert.equal(second?.increment, 50);
  assert.equal(
    progressMessage({
      phase: 'extract',
      file: 'ml-1m.zip',
      index: 0,
      count: 1,
      received: 1,
      receivedAll: 1,
    }),
    'ml-1m.zip: extracting',
  );
});

test('the Datasets tree recognises a downloaded lastfm-kg folder', () => {
  assert.deepEqual(
    sniffDataset(
      'datasets/lastfm-kg/ratings_final.txt',
      ['0\t1\t1'],
      ['kg_final.txt', 'ratings_final.txt'],
    ),
    { spec: 'lastfm-kg:datasets/lastfm-kg', kind: 'lastfm-kg', path: 'datasets/lastfm-kg' },
  );
  assert.equal(sniffDataset('x/ratings_final.txt', ['0\t1\t1'], []), undefined);
});
