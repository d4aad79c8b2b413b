import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInside, lineOfKey, pathOutside, specPaths } from '../../../extension/datasets/access.js';
import { displayMessage, isOneField } from '../../../extension/util/errorText.js';
import { InputError } from '../../../src/util/errors.js';

test('the paths a dataset spec reads', () => {
  assert.deepEqual(specPaths('demo'), []);
  assert.deepEqual(specPaths('demo:users=50,items=40'), []);
  assert.deepEqual(specPaths('csv:/ws/a.csv'), ['/ws/a.csv']);
  assert.deepEqual(specPaths('/ws/data'), ['/ws/data']);
  assert.deepEqual(specPaths('lightgcn:/ws/tr.txt,/etc/te.txt,/ws/v.txt'), [
    '/ws/tr.txt',
    '/etc/te.txt',
    '/ws/v.txt',
  ]);
});

test('a dataset path outside the workspace is refused unless the user picked it', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'reclab-access-'));
  const ws = join(tmp, 'ws');
  const outside = join(tmp, 'secret');
  mkdirSync(join(ws, 'data'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'id_rsa'), 'key');
  writeFileSync(join(ws, 'data', 'a.csv'), 'u,i\n');
  assert.equal(pathOutside(`csv:${ws}/data/a.csv`, [ws], []), undefined);
  assert.equal(pathOutside('demo', [ws], []), undefined);
  assert.equal(pathOutside(`csv:${outside}/id_rsa`, [ws], []), `${outside}/id_rsa`);
  // climbing out with ..: the path is resolved before it is judged
  assert.equal(
    pathOutside(`${ws}/data/../../secret/id_rsa`, [ws], []),
    `${ws}/data/../../secret/id_rsa`,
  );
  // the test file of a train,test pair counts too
  assert.equal(
    pathOutside(`lightgcn:${ws}/data/a.csv,${outside}/id_rsa`, [ws], []),
    `${outside}/id_rsa`,
  );
  // a link inside the workspace that leads out is outside
  symlinkSync(outside, join(ws, 'link'));
  assert.equal(pathOutside(`${ws}/link/id_rsa`, [ws], []), `${ws}/link/id_rsa`);
  // picked: the file itself, or a folder holding it
  assert.equal(pathOutside(`csv:${outside}/id_rsa`, [ws], [`${outside}/id_rsa`]), undefined);
  assert.equal(pathOutside(`csv:${outside}/id_rsa`, [ws], [outside]), undefined);
  assert.ok(!isInside(`${tmp}/ws-other/x`, ws), 'a sibling sharing the prefix is not inside');
  assert.ok(isInside(ws, ws));
});

test('the line of a key in an experiment file, for the refusal message', () => {
  assert.equal(lineOfKey('{\n  "model": "mf",\n  "dataset": "/etc"\n}', 'dataset'), 3);
  assert.equal(lineOfKey('{}', 'dataset'), undefined);
});

test('errors shown in the editor quote at most the offending field, never a line of a file', () => {
  const line = new InputError(
    { file: '/home/u/.ssh/id_rsa', line: 1, text: '-----BEGIN OPENSSH PRIVATE KEY-----' },
    'user and item ids',
  );
  assert.equal(displayMessage(line), '/home/u/.ssh/id_rsa:1: expected user and item ids');
  const csvLine = new InputError({ file: 'a.csv', line: 3, text: 'alice,bob,5' }, 'a number');
  assert.equal(displayMessage(csvLine), 'a.csv:3: expected a number');
  const field = new InputError({ file: 'a.txt', line: 11, text: '2147483646' }, 'an id');
  assert.equal(displayMessage(field), 'a.txt:11: expected an id (found "2147483646")');
  assert.equal(displayMessage(new Error('plain')), 'plain');
  assert.equal(displayMessage(new InputError({ file: 'f' }, 'x')), 'f: expected x');
  assert.ok(isOneField('abc-1.5'));
  assert.ok(!isOneField('a\tb'));
  assert.ok(!isOneField('1::2'));
});
