import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fingerprintFile,
  fingerprintSources,
  lightGcnSpecFiles,
  runSourceFiles,
} from '../../../src/data/fingerprint.js';
import { FILES, type RunMeta } from '../../../src/runs/format.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A LightGCN-layout folder `<tmp>/<name>` with train.txt and test.txt. */
function lightGcnDir(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'reclab-fp-')), name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'train.txt'), '0 0 1\n1 1 2\n2 0 2\n3 0 3\n');
  writeFileSync(join(dir, 'test.txt'), '0 2\n1 0\n2 1\n3 1\n');
  return dir;
}

test('a file fingerprint is its name, size and sha256, read in chunks past 1 MB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-fp-'));
  const big = new Uint8Array((1 << 20) * 2 + 12345).map((_, i) => (i * 31) % 251);
  writeFileSync(join(dir, 'big.bin'), big);
  assert.deepEqual(fingerprintFile(join(dir, 'big.bin')), {
    name: 'big.bin',
    bytes: big.length,
    sha256: sha(big),
  });
  writeFileSync(join(dir, 'empty.txt'), '');
  assert.equal(fingerprintFile(join(dir, 'empty.txt')).sha256, sha(''));
  // sources that are not files (the demo's description) are left out
  assert.deepEqual(
    fingerprintSources(['synthetic demo (users=10)', join(dir, 'empty.txt')]).map((f) => f.name),
    ['empty.txt'],
  );
});

test('a new run records the size and sha256 of each source file in run.json', async () => {
  const dir = lightGcnDir('gowalla');
  const ws = mkdtempSync(join(tmpdir(), 'reclab-fp-ws-'));
  const r = await runExperiment(
    { dataset: `lightgcn:${dir}`, model: 'popularity', ks: [2] },
    { workspace: ws },
  );
  const meta = JSON.parse(readFileSync(join(r.dir ?? '', FILES.meta), 'utf8')) as RunMeta;
  assert.deepEqual(meta.data?.files, [
    { name: 'train.txt', bytes: 24, sha256: sha(readFileSync(join(dir, 'train.txt'))) },
    { name: 'test.txt', bytes: 16, sha256: sha(readFileSync(join(dir, 'test.txt'))) },
  ]);
  // the demo has no files: an empty fingerprint, not a missing one
  const demo = await runExperiment({ dataset: 'demo', model: 'popularity' }, { workspace: ws });
  const demoMeta = JSON.parse(readFileSync(join(demo.dir ?? '', FILES.meta), 'utf8')) as RunMeta;
  assert.deepEqual(demoMeta.data?.files, []);
});

test('runs saved before fingerprints: the files their LightGCN spec names, if still there', () => {
  const dir = lightGcnDir('gowalla');
  const base = join(dir, '..');
  const recorded = [{ name: 'train.txt', bytes: 1, sha256: 'x' }];
  assert.deepEqual(
    runSourceFiles({ data: { files: recorded }, config: { dataset: 'gowalla:gowalla' } }, base),
    recorded,
    'a recorded fingerprint wins',
  );
  const legacy = runSourceFiles({ config: { dataset: 'gowalla:gowalla' } }, base);
  assert.deepEqual(legacy, fingerprintSources([join(dir, 'train.txt'), join(dir, 'test.txt')]));
  assert.deepEqual(
    runSourceFiles({ config: { dataset: `lightgcn:${dir}/train.txt,${dir}/test.txt` } }, '/x'),
    legacy,
  );
  // files gone, or a spec that is not the LightGCN layout: unknown data
  assert.equal(runSourceFiles({ config: { dataset: 'gowalla:elsewhere' } }, base), undefined);
  assert.equal(
    runSourceFiles({ config: { dataset: `movielens:${dir}/train.txt` } }, base),
    undefined,
  );
  assert.equal(runSourceFiles({ config: {} }, base), undefined);
  assert.deepEqual(lightGcnSpecFiles('lightgcn:a/train.txt,a/test.txt,a/valid.txt', '/b'), [
    '/b/a/train.txt',
    '/b/a/test.txt',
    '/b/a/valid.txt',
  ]);
  assert.equal(lightGcnSpecFiles('demo', '/b'), undefined);
});
