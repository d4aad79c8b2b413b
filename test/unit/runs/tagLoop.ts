/**
 * Tags a run over and over until killed, for the test that kills it mid-write:
 * `node --import tsx tagLoop.ts <run folder>`. Prints "tagging" once it has begun.
 */
import { readRun } from '../../../src/runs/store.js';
import { tagRun } from '../../../src/runs/tags.js';

const run = readRun(process.argv[2]);
process.stdout.write('tagging\n');
for (let i = 0; ; i++) {
  tagRun(run, { add: [`t${i % 7}`, 'x'.repeat(1 + (i % 39))] }, 'loop');
  tagRun(run, { remove: ['x'.repeat(1 + (i % 39))] }, 'loop');
}
