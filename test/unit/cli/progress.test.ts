import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressLine } from '../../../src/cli/format.js';

/** A fake stderr and clock: what was written, and when. */
function harness(isTTY: boolean) {
  const clock = { t: 0 };
  const writes: { at: number; text: string }[] = [];
  const progress = new ProgressLine({
    stream: { isTTY, write: (text: string) => writes.push({ at: clock.t, text }) },
    now: () => clock.t,
    rate: (r) => `${r.toFixed(2)} batches/s`,
  });
  return { clock, writes, progress };
}

test('without a terminal, a 420 s epoch prints a line at least every 10 s with count, rate and ETA', () => {
  const { clock, writes, progress } = harness(false);
  const batches = 1000;
  // 0.42 s per batch, as NGCF on ml-1m
  for (let b = 1; b <= batches; b++) {
    clock.t = b * 420;
    progress.update('[ngcf] epoch 1/400', b, batches, (d, t) => `${d}/${t} batches`);
  }
  assert.ok(writes.length >= 41, `${writes.length} lines in 420 s`);
  let last = 0;
  for (const w of writes) {
    assert.ok(w.at - last <= 10_000 + 420, `silent from ${last} to ${w.at} ms`);
    assert.ok(w.text.endsWith('\n') && !w.text.includes('\r'), 'plain lines for a log');
    last = w.at;
  }
  assert.ok(clock.t - last <= 10_000);
  // the first line: 24 batches done at 10.08 s, 23 of them in the 9.66 s since the first
  assert.equal(writes[0].text, '[ngcf] epoch 1/400 24/1000 batches, 2.38 batches/s, ETA 6m50s\n');
});

test('a line printed by someone else (an epoch log) restarts the 10 s; no line for short work', () => {
  const { clock, writes, progress } = harness(false);
  for (let b = 1; b <= 20; b++) {
    clock.t = b * 400; // 8 s in all: nothing to say
    progress.update('epoch 1/2', b, 20);
  }
  assert.equal(writes.length, 0);
  progress.clear(); // the caller prints the epoch's line
  for (let b = 1; b <= 20; b++) {
    clock.t = 8_000 + b * 600;
    progress.update('epoch 2/2', b, 20);
  }
  // 10 s after the epoch line, not after the start
  assert.deepEqual(
    writes.map((w) => w.at),
    [18_200],
  );
  assert.match(writes[0].text, /^epoch 2\/2 17\/20, 1\.67 batches\/s, ETA 1\.8s\n$/);
});

test('on a terminal, the bar is redrawn in place with rate and ETA, at most every 100 ms', () => {
  const { clock, writes, progress } = harness(true);
  for (let b = 1; b <= 100; b++) {
    clock.t = b * 20;
    progress.update('epoch 1/1', b, 100);
  }
  assert.ok(writes.every((w) => w.text.startsWith('\r') && !w.text.includes('\n')));
  assert.ok(writes.length <= 22, `${writes.length} redraws`);
  assert.equal(
    writes.at(-1)?.text,
    '\repoch 1/1 [##############################] 100/100, 50.00 batches/s\x1b[K',
  );
  progress.clear();
  assert.equal(writes.at(-1)?.text, '\r\x1b[K');
});
