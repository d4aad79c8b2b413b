import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkExperiment,
  parseExperiment,
  readExperimentFile,
  resolveExperiment,
} from '../../../src/runs/experiment.js';
import { MODELS } from '../../../src/models/registry.js';

test('a minimal experiment resolves with defaults', () => {
  const r = resolveExperiment(parseExperiment({ dataset: 'demo', model: 'mf' }));
  assert.equal(r.epochs, 20);
  assert.deepEqual(r.ks, [10, 20]);
  assert.equal(r.name, 'mf-demo');
});

test('schema errors say where and what', () => {
  assert.throws(
    () => parseExperiment({ dataset: 'demo', model: 'mf', epochs: 0 }, 'x.reclab.json'),
    /x\.reclab\.json: expected .*\/epochs must be >= 1/,
  );
  assert.throws(
    () => parseExperiment({ dataset: 'demo', model: 'mf', epoch: 3 }),
    /additional properties "epoch"/,
  );
  assert.throws(() => parseExperiment({ model: 'mf' }), /must have required property 'dataset'/);
});

test('invalid JSON names the file and the line', () => {
  const f = join(mkdtempSync(join(tmpdir(), 'reclab-exp-')), 'a.reclab.json');
  writeFileSync(f, '{\n  "dataset": "demo",\n  "model": "mf",,\n}\n');
  assert.throws(
    () => readExperimentFile(f),
    (e: Error) => e.message.startsWith(`${f}:3: expected valid JSON`),
  );
});

test("the schema's model list is the registry's", () => {
  const schema = JSON.parse(readFileSync('schemas/experiment.schema.json', 'utf8'));
  assert.deepEqual([...schema.properties.model.enum].sort(), [...MODELS.keys()].sort());
});

test("every model's resolved config (its defaults included) is valid against the schema", () => {
  // run.json stores the resolved config and --resume parses it again: a default the schema
  // refuses (lrEpochs 0 once did) made every MF/LightGCN run impossible to resume.
  for (const [name, entry] of MODELS) {
    const resolved = resolveExperiment(
      parseExperiment({ dataset: 'demo', model: name, hyper: { ...entry.defaults } }),
    );
    assert.doesNotThrow(() => parseExperiment(JSON.parse(JSON.stringify(resolved))), name);
  }
});

test('default run names come from the dataset, never from the test file', () => {
  const name = (dataset: string) =>
    resolveExperiment(parseExperiment({ dataset, model: 'mf' })).name;
  assert.equal(name('demo'), 'mf-demo');
  assert.equal(name('demo:users=50,items=40'), 'mf-demo');
  assert.equal(name('gowalla:../shared/datasets/gowalla'), 'mf-gowalla');
  assert.equal(name('auto:/data/yelp/train.txt,/data/yelp/test.txt'), 'mf-yelp');
  assert.equal(name('lightgcn:/d/ml1m-lgcn/train.txt,/d/ml1m-lgcn/test.txt'), 'mf-ml1m-lgcn');
  assert.equal(name('movielens:data/ml-1m/ratings.dat'), 'mf-ml-1m');
  assert.equal(name('recbole:../shared/datasets/ml-100k/ml-100k.inter'), 'mf-ml-100k');
  assert.equal(name('csv:clicks-2024.csv'), 'mf-clicks-2024');
  assert.equal(name('datasets/lastfm/'), 'mf-lastfm');
});

test('split ratios in an experiment file must sum to 1', () => {
  const c = resolveExperiment(
    parseExperiment({ dataset: 'demo', model: 'mf', split: { type: 'ratio', ratios: [0.8, 0.1] } }),
  );
  assert.throws(
    () => checkExperiment(c, 'a.reclab.json'),
    (e: Error) =>
      e.message ===
      'a.reclab.json: expected split ratios summing to 1 ([train, test] or [train, valid, test]; these sum to 0.9) (found "split ratios 0.8,0.1")',
  );
});
