import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachLine } from '../../../src/data/loaders/textFile.js';
import { loadDelimitedFiles } from '../../../src/data/loaders/delimited.js';
import { FIXTURES, rejectsInput, tempFile } from './helpers.js';

test('text files: missing, directory, empty, NUL bytes and invalid UTF-8 are InputErrors', async () => {
  const missing = tempFile('x.csv', 'a').replace(/x\.csv$/, 'missing.csv');
  await rejectsInput(
    forEachLine(missing, () => {}),
    missing,
    undefined,
    /existing, readable file/,
  );
  await rejectsInput(
    forEachLine(FIXTURES, () => {}),
    FIXTURES,
    undefined,
    /found a directory/,
  );
  const empty = tempFile('empty.csv', '');
  await rejectsInput(loadDelimitedFiles({ train: empty }), empty, undefined, /non-empty file/);
  const binary = tempFile(
    'bin.csv',
    Buffer.from([0x31, 0x2c, 0x32, 0x0a, 0x50, 0x4b, 0x03, 0x00, 0x04]),
  );
  await rejectsInput(loadDelimitedFiles({ train: binary }), binary, 2, /looks binary/);
  const latin1 = tempFile(
    'latin1.csv',
    Buffer.concat([Buffer.from('u,i\nb,caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
  );
  await rejectsInput(loadDelimitedFiles({ train: latin1 }), latin1, 2, /UTF-8/);
});

test('text files: lines across chunk boundaries, CRLF, BOM and a multi-byte char split by a chunk', async () => {
  // Over 1 MB so the reader needs several chunks; 'é' is two bytes.
  const lines = Array.from({ length: 60000 }, (_, k) => `${k},é${'x'.repeat(k % 40)}`);
  const f = tempFile('big.csv', `\uFEFF${lines.join('\r\n')}`);
  const seen: string[] = [];
  const n = await forEachLine(f, (l, no) => {
    if (no !== seen.length + 1) throw new Error('line numbers out of order');
    seen.push(l);
  });
  assert.equal(n, 60000);
  assert.deepEqual(seen, lines);
});
