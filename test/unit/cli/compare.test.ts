import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pairedTTest, wilcoxonSignedRank } from '../../../src/eval/significance.js';
import { RUNS_DIR } from '../../../src/runs/format.js';
import { readPerUser } from '../../../src/runs/perUser.js';
import { findRun } from '../../../src/runs/store.js';
import { SMALL_DEMO, tmpFolder } from '../runs/helpers.js';
import { reclab } from './runCli.js';

const ws = tmpFolder();
const csv = join(ws, 'tiny.csv');
// a second dataset: 40 users with 8 of 30 items each
writeFileSync(
  csv,
  `user,item\n${Array.from({ length: 320 }, (_, k) => `u${k >> 3},i${(k * 7 + (k >> 3)) % 30}`).join('\n')}\n`,
);

const TINY_RUN = '--epochs 2 --eval-every 1 --threads 1 --json'.split(' ');

async function train(...flags: string[]): Promise<string> {
  const r = await reclab(['train', ...TINY_RUN, '-w', ws, ...flags]);
  assert.equal(r.code, 0, r.err.join('\n'));
  return r.json?.run as string;
}

const mfSeed = (seed: number) =>
  train(
    '--dataset',
    SMALL_DEMO,
    '--model',
    'mf',
    '--dim',
    '8',
    '--seed',
    `${seed}`,
    '--name',
    `mf@seed=${seed}`,
  );

const ready = (async () => {
  const mf1 = await mfSeed(1);
  const mf2 = await mfSeed(2);
  const pop = await train('--dataset', SMALL_DEMO, '--model', 'popularity', '--seed', '1');
  const other = await train('--dataset', `csv:${csv}`, '--model', 'mf', '--seed', '1');
  return { mf1, mf2, pop, other };
})();

test('compare groups runs by dataset and split, with parameters and mean±std over seeds', async () => {
  await ready;
  const r = await reclab(['compare', '--json', '-w', ws]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const headers = r.out.filter((l) => / split /.test(l) && /\(\d+ rows?\)$/.test(l));
  assert.deepEqual(headers.sort(), [
    'demo, split ratio 0.8/0.1/0.1 (2 rows)',
    'tiny, split ratio 0.8/0.1/0.1 (1 row)',
  ]);
  const header = r.out[r.out.indexOf('demo, split ratio 0.8/0.1/0.1 (2 rows)') + 1];
  assert.match(
    header ?? '',
    /model\s+epochs\s+dim\s+lr\s+batch\s+loss\s+sampler\s+seed\s+n\s+time\s+recall@10/,
  );
  const folded = r.out.find((l) => l.startsWith('mf '));
  assert.match(folded ?? '', /\b1,2\s+2\s/, 'seeds 1,2 and n 2');
  assert.match(folded ?? '', /\d\.\d{4}±\d\.\d{4}/);
  const groups = r.json?.groups as { label: string; rows: { runs: string[]; best: string[] }[] }[];
  assert.equal(groups.length, 2);
  // the lone tiny run is never starred against the demo runs
  assert.deepEqual(groups.find((g) => g.label.startsWith('tiny'))?.rows[0].best, []);
  assert.equal((r.json?.runs as unknown[]).length, 4);

  const e = await reclab(['compare', '--expand', '-w', ws]);
  assert.ok(e.out.some((l) => l.startsWith('mf@seed=1 ')));
  assert.ok(e.out.some((l) => l.startsWith('mf@seed=2 ')));
});

test('compare --format csv and md export the same table', async () => {
  await ready;
  const c = await reclab(['compare', '--format', 'csv', '-w', ws]);
  assert.equal(c.code, 0, c.err.join('\n'));
  const head = c.out[0].split(',');
  const expected = 'group model dataset split epochs selectedEpoch dim lr seed n seconds recall@20';
  for (const col of [...expected.split(' '), 'recall@20 std', 'best'])
    assert.ok(head.includes(col), `csv column ${col}`);
  assert.equal(c.out.length, 1 + 3, 'a header and three rows');
  // the group label holds a comma: quoted
  assert.ok(
    c.out.slice(1).every((l) => l.startsWith('"demo, split') || l.startsWith('"tiny, split')),
  );
  const mf = c.out.find((l) => l.includes(',mf,') && l.includes(',1 2,'));
  assert.ok(mf, 'the folded mf row lists its seeds');

  const m = await reclab(['compare', '--format', 'md', '-w', ws]);
  assert.equal(m.code, 0, m.err.join('\n'));
  assert.ok(m.out.includes('### demo, split ratio 0.8/0.1/0.1'));
  assert.ok(m.out.some((l) => /^\| run \| model \|/.test(l)));
  assert.ok(m.out.some((l) => /^\| --- \| ---: \|/.test(l)));
  assert.ok(
    m.out.some((l) => /\*\*\d\.\d{4}(±\d\.\d{4})?\*\*/.test(l)),
    'the best in bold',
  );

  const bad = await reclab(['compare', '--format', 'xlsx', '-w', ws]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err.join('\n'), /table, csv, md/);
});

test('compare --significance: paired tests over the users of two runs on one split', async () => {
  const { mf1, mf2, pop, other } = await ready;
  const r = await reclab([
    'compare',
    mf1,
    pop,
    '--significance',
    '--metric',
    'ndcg@20',
    '--json',
    '-w',
    ws,
  ]);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.ok(
    r.out.some((l) => l.startsWith('ndcg@20 per user, mf@seed=1 (A) vs popularity-demo (B)')),
  );
  assert.ok(r.out.some((l) => /paired t-test: t = -?\d+\.\d{3} \(df \d+\), p = /.test(l)));
  assert.ok(r.out.some((l) => /Wilcoxon signed-rank: W\+ = .* rank-biserial r = /.test(l)));
  const s = r.json?.significance as {
    users: number;
    tTest: { p: number; t: number };
    wilcoxon: { p: number };
  };
  // the same numbers as the tests over the saved per-user values
  const root = join(ws, RUNS_DIR);
  const a = readPerUser(findRun(root, mf1));
  const b = readPerUser(findRun(root, pop));
  assert.ok(a && b);
  assert.equal(s.users, a.users.length);
  assert.equal(s.tTest.p, pairedTTest(a.values['ndcg@20'], b.values['ndcg@20']).p);
  assert.equal(s.wilcoxon.p, wilcoxonSignedRank(a.values['ndcg@20'], b.values['ndcg@20']).p);
  assert.ok(s.tTest.p >= 0 && s.tTest.p <= 1);

  const datasets = await reclab(['compare', mf1, other, '--significance', '-w', ws]);
  assert.equal(datasets.code, 1);
  assert.match(
    datasets.err.join('\n'),
    /expected a run on the same dataset and split as mf@seed=1/,
  );
  const seeds = await reclab(['compare', mf1, mf2, '--significance', '-w', ws]);
  assert.equal(seeds.code, 1);
  assert.match(seeds.err.join('\n'), /different test sets/);
  const three = await reclab(['compare', mf1, mf2, pop, '--significance', '-w', ws]);
  assert.match(three.err.join('\n'), /--significance: expected two runs/);
  const metric = await reclab([
    'compare',
    mf1,
    pop,
    '--significance',
    '--metric',
    'hit@20',
    '-w',
    ws,
  ]);
  assert.match(
    metric.err.join('\n'),
    /expected a per-user metric both runs saved: recall@10, ndcg@10/,
  );
});
