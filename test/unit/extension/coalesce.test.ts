import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer } from '../../../extension/util/coalesce.js';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

test('trailing: a burst of calls runs f once, at the end of the first window, never pushed back', () => {
  let runs = 0;
  const c = new Coalescer(() => runs++, 300);
  // a run writing a file every 100 ms for 2 s: a restarting debounce would never fire
  for (let t = 0; t < 2000; t += 100) {
    c.schedule();
    mock.timers.tick(100);
  }
  assert.equal(runs, 6, 'once per 300 ms window while the burst lasts');
  mock.timers.tick(1000);
  assert.equal(runs, 7, 'and once for the calls of the last window');
  c.schedule(50);
  mock.timers.tick(49);
  assert.equal(runs, 7);
  mock.timers.tick(1);
  assert.equal(runs, 8, 'a call may ask for a shorter window');
});

test('leading: f runs at once, then at most once per window while calls keep coming', () => {
  let runs = 0;
  const c = new Coalescer(() => runs++, 500, 'leading');
  c.schedule();
  assert.equal(runs, 1, 'at once');
  // a call every 100 ms until 1200 ms: windows [0, 500), [500, 1000), [1000, 1500)
  const seen: number[] = [];
  for (let k = 0; k < 12; k++) {
    mock.timers.tick(100);
    c.schedule();
    seen.push(runs);
  }
  // runs at 500 and 1000 ms (the ends of busy windows), none in between
  assert.deepEqual(seen, [1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3]);
  mock.timers.tick(299);
  assert.equal(runs, 3);
  mock.timers.tick(1);
  assert.equal(runs, 4, 'the calls of the last busy window run at its end');
  mock.timers.tick(5000);
  assert.equal(runs, 4, 'quiet: nothing more');
  c.schedule();
  assert.equal(runs, 5, 'after a quiet window the next call runs at once');
});

test('cancel and dispose drop a pending run', () => {
  let runs = 0;
  const c = new Coalescer(() => runs++, 100);
  c.schedule();
  c.cancel();
  mock.timers.tick(1000);
  assert.equal(runs, 0);
  c.schedule();
  c.dispose();
  mock.timers.tick(1000);
  assert.equal(runs, 0);
});
