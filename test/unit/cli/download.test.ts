// `reclab download` end to end (in process, as the other CLI tests) against a local server
// standing in for raw.githubusercontent.com through --mirror / $RECLAB_DOWNLOAD_MIRROR.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reclab } from './runCli.js';
import { MIRROR_ENV } from '../../../src/data/download/mirror.js';
import { bytesRoute, startServer } from '../data/downloadServer.js';

const TRAIN = readFileSync(join('test', 'fixtures', 'data', 'lightgcn', 'train.txt'));
const TEST = readFileSync(join('test', 'fixtures', 'data', 'lightgcn', 'test.txt'));
const YELP = '/raw.githubusercontent.com/gusye1234/LightGCN-PyTorch/master/data/yelp2018';
const ws = mkdtempSync(join(tmpdir(), 'reclab-cli-download-'));
const serverReady = startServer({
  [`${YELP}/train.txt`]: bytesRoute(TRAIN),
  [`${YELP}/test.txt`]: bytesRoute(TEST),
});
after(async () => {
  await (await serverReady).close();
  rmSync(ws, { recursive: true, force: true });
});

test('download without a dataset lists the catalog', async () => {
  const r = await reclab(['download', '--json']);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.ok(r.out.some((l) => /^ml-100k\s+MovieLens 100K\s+~5\.0 MB\s+research only/.test(l)));
  const ids = (r.json?.datasets as { id: string }[]).map((d) => d.id);
  assert.deepEqual(ids, ['ml-100k', 'ml-1m', 'gowalla', 'yelp2018', 'amazon-book', 'lastfm-kg']);
});

test('download yelp2018 through --mirror, then inspect the spec it prints', async () => {
  const server = await serverReady;
  const dir = join(ws, 'datasets');
  const r = await reclab([
    'download',
    'yelp2018',
    '--dir',
    dir,
    '--mirror',
    server.mirror,
    '--json',
  ]);
  assert.equal(r.code, 0, r.err.join('\n'));
  // the source and licence come before the download
  const src = r.out.findIndex((l) => l.startsWith('source:  https://github.com/gusye1234/'));
  const lic = r.out.findIndex((l) => l.startsWith('licence: ') && l.includes('Yelp'));
  const saved = r.out.findIndex((l) => l.startsWith('saved '));
  assert.ok(src >= 0 && lic > src && saved > lic, r.out.join('\n'));
  const json = r.json as {
    dataset: string;
    dir: string;
    files: { name: string; bytes: number; sha256: string }[];
    spec: string;
    seconds: number;
  };
  assert.equal(json.dataset, 'yelp2018');
  assert.equal(json.dir, join(dir, 'yelp2018'));
  assert.deepEqual(
    json.files.map((f) => [f.name, f.bytes]),
    [
      ['train.txt', TRAIN.length],
      ['test.txt', TEST.length],
    ],
  );
  assert.equal(json.spec, `lightgcn:${json.dir}`);
  assert.equal(typeof json.seconds, 'number');
  assert.ok(existsSync(join(json.dir, 'SOURCE.md')));

  const i = await reclab(['inspect', json.spec, '--json']);
  assert.equal(i.code, 0, i.err.join('\n'));
  assert.equal(i.json?.users, 3); // user 2 has no training items: left out (src/data/assemble.ts)

  // a second download is refused without --force; the mirror may come from the environment
  const again = await reclab(['download', 'yelp2018', '--dir', dir, '--mirror', server.mirror]);
  assert.equal(again.code, 1);
  assert.match(again.err.join('\n'), /already holds a complete download.*--force/);
  process.env[MIRROR_ENV] = server.mirror;
  try {
    const forced = await reclab(['download', 'yelp2018', '--dir', dir, '--force', '--json']);
    assert.equal(forced.code, 0, forced.err.join('\n'));
    assert.ok(forced.out.some((l) => l === `mirror:  ${server.mirror}`));
  } finally {
    delete process.env[MIRROR_ENV];
  }
});

test('download of an unknown dataset or from a missing file fails with one line', async () => {
  const server = await serverReady;
  const u = await reclab(['download', 'ml-20m']);
  assert.equal(u.code, 1);
  assert.match(u.err.join('\n'), /expected one of ml-100k/);
  const m = await reclab(['download', 'amazon-book', '--dir', ws, '--mirror', server.mirror]);
  assert.equal(m.code, 1);
  assert.match(
    m.err.join('\n'),
    /amazon-book\/train\.txt: expected HTTP 200, the server answered 404/,
  );
  assert.equal(existsSync(join(ws, 'amazon-book')), false);
  assert.equal(existsSync(join(ws, 'amazon-book.part')), false);
});
