import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAbsolute, join } from 'node:path';
import { parseExperiment } from '../../../src/runs/experiment.js';
import {
  experimentFileName,
  experimentFileText,
  parsedOrDefault,
  resolveDatasetSpec,
  toExperiment,
  validateNumber,
  stepTitle,
  trainSteps,
} from '../../../extension/commands/trainChoice.js';

test('quick-pick choice to ExperimentConfig: only changed hyperparameters, epochs only when trainable', () => {
  const c = toExperiment({
    dataset: 'demo',
    model: 'mf',
    trainable: true,
    epochs: 5,
    hyper: { dim: 32 },
  });
  assert.deepEqual(c, { dataset: 'demo', model: 'mf', epochs: 5, hyper: { dim: 32 } });
  assert.deepEqual(
    toExperiment({ dataset: 'demo', model: 'popularity', trainable: false, epochs: 5, hyper: {} }),
    { dataset: 'demo', model: 'popularity' },
  );
  // what the picks produce is a valid experiment file
  assert.deepEqual(parseExperiment(JSON.parse(experimentFileText(c))), c);
});

test('the columns chosen for a file go into the experiment, and into a valid experiment file', () => {
  const datasetOptions = { columns: { user: 'c', item: 'a' } };
  const c = toExperiment({
    dataset: 'csv:/ws/abc.csv',
    model: 'mf',
    trainable: true,
    hyper: {},
    datasetOptions,
  });
  assert.deepEqual(c.datasetOptions, datasetOptions);
  assert.deepEqual(parseExperiment(JSON.parse(experimentFileText(c))), c);
});

test('input validation and defaults', () => {
  assert.equal(validateNumber(''), undefined);
  assert.equal(validateNumber('abc'), '"abc" is not a number');
  assert.equal(validateNumber('2.5', { integer: true }), 'expected a whole number');
  assert.equal(validateNumber('0', { min: 1 }), 'expected at least 1');
  assert.equal(parsedOrDefault('64', 64), undefined);
  assert.equal(parsedOrDefault(' 0.01 ', 0.001), 0.01);
  assert.equal(parsedOrDefault('', 3), undefined);
});

test('file names and dataset paths', () => {
  assert.equal(
    experimentFileName({ dataset: 'gowalla:data/gowalla', model: 'mf' }),
    'mf-gowalla.reclab.json',
  );
  assert.equal(resolveDatasetSpec('demo', '/ws', isAbsolute, join), 'demo');
  assert.equal(
    resolveDatasetSpec('recbole:data/x.inter', '/ws', isAbsolute, join),
    'recbole:/ws/data/x.inter',
  );
  assert.equal(resolveDatasetSpec('gowalla:/abs/g', '/ws', isAbsolute, join), 'gowalla:/abs/g');
  assert.equal(
    resolveDatasetSpec('data/ratings.csv', '/ws', isAbsolute, join),
    '/ws/data/ratings.csv',
  );
  // every file of a train,test[,valid] spec: the worker's working folder is not the workspace
  assert.equal(
    resolveDatasetSpec('lightgcn:g/train.txt,/abs/test.txt,g/valid.txt', '/ws', isAbsolute, join),
    'lightgcn:/ws/g/train.txt,/abs/test.txt,/ws/g/valid.txt',
  );
  assert.equal(
    resolveDatasetSpec('demo:users=50,items=40', '/ws', isAbsolute, join),
    'demo:users=50,items=40',
  );
});

test('the Train Model wizard numbers its steps: each its own place, the last n/n', () => {
  const mf = trainSteps({ trainable: true, defaults: { dim: 64, lr: 0.001, reg: 1e-4 } });
  assert.deepEqual(
    mf.map((s) => stepTitle(mf, s)),
    [
      'Train Model (1/6): dataset',
      'Train Model (2/6): model',
      'Train Model (3/6): epochs',
      'Train Model (4/6): dim',
      'Train Model (5/6): lr',
      'Train Model (6/6): start',
    ],
  );
  // itemknn trains nothing: no epochs, no dim, no lr
  const knn = trainSteps({ trainable: false, defaults: { k: 100 } });
  assert.deepEqual(knn, ['dataset', 'model', 'start']);
  assert.equal(stepTitle(knn, 'start'), 'Train Model (3/3): start');
});
