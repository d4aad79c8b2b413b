import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parsePointOptions, parsePoints } from '../../../bench/scale/options.js';

function bench(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/scale.ts', ...args], {
    encoding: 'utf8',
  });
  const lines = r.stdout.trim().split('\n');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, last: lines[lines.length - 1] };
}

type Point = Record<string, number | undefined>;

test('scale bench: full epochs of one triple per training interaction, a JSON line last with a point per size', () => {
  const r = bench('--points', '0.01,0.02', '--threads', '1', '--eval-users', '300');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.last) as { points: Point[] };
  // users and items in Gowalla's proportion to the interactions
  assert.deepEqual(
    out.points.map((p) => [p.interactions, p.users, p.items]),
    [
      [10_000, 291, 399],
      [20_000, 581, 798],
    ],
  );
  for (const p of out.points) {
    assert.equal(p.epochs, 1);
    assert.equal(p.batchesPerEpoch, Math.ceil((p.trainInteractions ?? 0) / 2048));
    assert.equal(p.epochEstimatedFromBatches, undefined, 'a full epoch was timed');
    assert.ok((p.epochSeconds ?? 0) > 0 && (p.evalSeconds ?? 0) > 0);
    assert.ok((p.peakRssMB ?? 0) > 30, `peak RSS ${p.peakRssMB} MB`);
  }
  // 291 test users are all ranked; of 581, a sample of 300, and the point says so
  assert.deepEqual(
    out.points.map((p) => [p.evalUsers, p.evalUsersSampledFrom]),
    [
      [291, undefined],
      [300, 581],
    ],
  );
  assert.match(r.stdout, /\n\s+0\.02M\s+581\s+798\s/, 'the table has a row per point');
});

test('scale bench: an epoch cut by --max-epoch-seconds says how many batches its time is from', () => {
  const r = bench('--points', '0.05', '--threads', '1', '--max-epoch-seconds', '0.001');
  assert.equal(r.status, 0, r.stderr);
  const [p] = (JSON.parse(r.last) as { points: Point[] }).points;
  assert.equal(p.epochEstimatedFromBatches, 1);
  assert.ok((p.batchesPerEpoch ?? 0) > 1);
  assert.ok((p.epochSeconds ?? 0) > 0);
});

test('scale bench: bad options stop it with the option named, before any data is made', () => {
  assert.deepEqual(parsePoints('0.1,1,3,10'), [100_000, 1_000_000, 3_000_000, 10_000_000]);
  assert.throws(() => parsePoints('0.1,x'), /^InputError: --points: expected comma-separated/);
  assert.throws(() => parsePoints('0.001'), /each at least 0.002/);
  assert.throws(() => parsePointOptions({ epochs: '0' }), /--epochs: expected an integer >= 1/);
  assert.throws(
    () => parsePointOptions({ 'eval-users': 'some' }),
    /--eval-users: expected an integer >= 1 \(found "some"\)/,
  );
  assert.throws(() => parsePointOptions({ 'max-epoch-seconds': '-1' }), /--max-epoch-seconds/);
  const r = bench('--points', '1,ten');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--points: expected comma-separated millions/);
  assert.equal(r.stdout.includes('interactions:'), false, 'no point started');
});
