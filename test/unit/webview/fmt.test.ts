import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmt } from '../../../webview/dom.js';

test('fmt: counts with separators, figures with at most two decimals, fractions with four', () => {
  assert.equal(fmt(810128), '810,128');
  assert.equal(fmt(0), '0');
  assert.equal(fmt(46.1), '46.1');
  assert.equal(fmt(1234.5678), '1,234.57');
  assert.equal(fmt(0.18234), '0.1823');
  assert.equal(fmt(0.5, 2), '0.50');
  assert.equal(fmt(Number.NaN), '–');
  assert.equal(fmt(undefined), '–');
});
