import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr, sortRows } from '../../../src/data/csr.js';
import { Rng } from '../../../src/util/rng.js';
import { rowHas, sampleTriples } from '../../../src/train/samplers.js';

// users 0..3, items 0..5; user 3 has no items
const ui = sortRows(
  buildCsr(4, 6, Int32Array.of(0, 0, 1, 2, 2, 2), Int32Array.of(1, 0, 5, 2, 3, 4)),
);
const iu = buildCsr(6, 4, Int32Array.of(1, 0, 5, 2, 3, 4), Int32Array.of(0, 0, 1, 2, 2, 2));

test('rowHas finds items in sorted rows', () => {
  assert.ok(rowHas(ui, 0, 0) && rowHas(ui, 0, 1) && !rowHas(ui, 0, 2) && !rowHas(ui, 3, 0));
});

for (const sampler of ['uniform', 'popularity'] as const) {
  test(`${sampler} sampler: positives are the user's, negatives never are, users without items skipped`, () => {
    const t = sampleTriples(ui, new Rng(1), { samples: 2000, negatives: 3, sampler }, iu);
    assert.ok(
      t.users.length > 1000 && t.users.length < 2000,
      'user 3 (no items) is skipped about 1/4 of the time',
    );
    for (let s = 0; s < t.users.length; s++) {
      assert.notEqual(t.users[s], 3);
      assert.ok(rowHas(ui, t.users[s], t.pos[s]));
      for (let j = 0; j < 3; j++) assert.ok(!rowHas(ui, t.users[s], t.neg[s * 3 + j]));
    }
  });
}

test('sampling is reproducible from the seed', () => {
  const a = sampleTriples(ui, new Rng(7), {});
  const b = sampleTriples(ui, new Rng(7), {});
  const c = sampleTriples(ui, new Rng(8), {});
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.neg, c.neg);
});

test('popularity sampler prefers popular negatives', () => {
  // item 0 is liked by users 1..9, others by none; user 0 likes item 9
  const rows = Int32Array.from({ length: 10 }, (_, k) => k);
  const cols = Int32Array.from({ length: 10 }, (_, k) => (k === 0 ? 9 : 0));
  const m = sortRows(buildCsr(10, 10, rows, cols));
  const mt = buildCsr(10, 10, cols, rows);
  let zeros = 0;
  const t = sampleTriples(m, new Rng(3), { samples: 5000, sampler: 'popularity', alpha: 1 }, mt);
  for (let s = 0; s < t.users.length; s++) if (t.users[s] === 0 && t.neg[s] === 0) zeros++;
  const user0 = [...t.users].filter((u) => u === 0).length;
  // item 0 weight (9+1) vs 8 others of weight 1: p = 10/18
  assert.ok(Math.abs(zeros / user0 - 10 / 18) < 0.08, `${zeros / user0}`);
});
