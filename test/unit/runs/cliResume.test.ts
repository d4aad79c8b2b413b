import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODELS } from '../../../src/models/registry.js';
import { readRun } from '../../../src/runs/store.js';
import { reclab } from '../cli/runCli.js';
import { smallKgDataset, tmpFolder, trainFlags, withoutTimes } from './helpers.js';

const trainable = [...MODELS.values()].filter((m) => m.trainable).map((m) => m.name);

test('every trainable model of the registry is covered', () => {
  assert.ok(trainable.length >= 3 && trainable.includes('mf'), trainable.join(', '));
});

function epochRecords(dir: string) {
  return readRun(dir).history.map(withoutTimes);
}

for (const model of trainable) {
  test(`${model}: reclab train --epochs 2, then --resume --epochs 4, equals a straight 4-epoch run`, async () => {
    // a model that trains on a knowledge graph gets a tiny lastfm-kg folder instead of the demo
    const dataset = MODELS.get(model)?.requiresKg ? smallKgDataset() : undefined;
    const flags = (epochs: number, ws: string) => trainFlags(model, epochs, 2, ws, dataset);
    const straight = await reclab(flags(4, tmpFolder()));
    assert.equal(straight.code, 0, straight.err.join('\n'));

    const ws = tmpFolder();
    const first = await reclab(flags(2, ws));
    assert.equal(first.code, 0, first.err.join('\n'));
    const id = String(first.json?.run);
    const resumed = await reclab(['train', '--resume', id, '--epochs', '4', '--json', '-w', ws]);
    assert.equal(resumed.code, 0, resumed.err.join('\n'));

    assert.equal(resumed.json?.run, id, 'the same run is continued');
    assert.equal(resumed.json?.epochs, 4);
    const metricsOf = (j: Record<string, unknown> | undefined) =>
      Object.fromEntries(Object.entries(j ?? {}).filter(([k]) => k.includes('@')));
    assert.ok(Object.keys(metricsOf(straight.json)).length > 0);
    assert.deepEqual(metricsOf(resumed.json), metricsOf(straight.json));
    const dir = String(resumed.json?.dir);
    assert.deepEqual(epochRecords(dir), epochRecords(String(straight.json?.dir)));
    const run = readRun(dir);
    assert.equal(run.state.status, 'done');
    assert.deepEqual(run.summary?.metrics, readRun(String(straight.json?.dir)).summary?.metrics);
  });
}
