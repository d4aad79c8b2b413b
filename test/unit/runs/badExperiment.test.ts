/**
 * Experiment files a user gets wrong: each is refused with one line naming the file, what was
 * found and what was expected, before any work, and nothing is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODELS } from '../../../src/models/registry.js';
import { reclab } from '../cli/runCli.js';

const SCHEMA = 'expected an experiment matching the schema:';

/** [case, file text, the error line after `reclab: <file>`] */
const CASES: Array<[string, string, string]> = [
  [
    'a JSON syntax error',
    '{"dataset": "demo",\n "model": "mf",,}',
    ':2: expected valid JSON (Expected double-quoted property name in JSON at position 35)',
  ],
  ['not an object', '[1, 2]', `: ${SCHEMA} (top level) must be object`],
  [
    'a misspelt key',
    '{"dataset": "demo", "model": "mf", "epoch": 3}',
    `: ${SCHEMA} (top level) must NOT have additional properties "epoch"`,
  ],
  [
    'no dataset',
    '{"model": "mf"}',
    `: ${SCHEMA} (top level) must have required property 'dataset'`,
  ],
  [
    'an unknown model',
    '{"dataset": "demo", "model": "lightgnc"}',
    `: ${SCHEMA} /model must be equal to one of the allowed values: ${[...MODELS.keys()].join(', ')}`,
  ],
  [
    'zero epochs',
    '{"dataset": "demo", "model": "mf", "epochs": 0}',
    `: ${SCHEMA} /epochs must be >= 1`,
  ],
  [
    'a metric RecLab does not compute',
    '{"dataset": "demo", "model": "mf", "metric": "auc"}',
    `: ${SCHEMA} /metric must match pattern "^(recall|ndcg|precision|hit|mrr|map)@[0-9]+$"`,
  ],
  [
    'a metric at a cut-off not computed',
    '{"dataset": "demo", "model": "mf", "metric": "ndcg@50"}',
    ': expected a metric at one of the cut-offs computed (ks 10,20): e.g. ndcg@20, or add 50 to ks (found "metric ndcg@50")',
  ],
  [
    'a cut-off of 0',
    '{"dataset": "demo", "model": "mf", "ks": [0, 20]}',
    `: ${SCHEMA} /ks/0 must be >= 1`,
  ],
  [
    'split ratios that do not sum to 1',
    '{"dataset": "demo", "model": "mf", "split": {"type": "ratio", "ratios": [0.7, 0.2]}}',
    ': expected split ratios summing to 1 ([train, test] or [train, valid, test]; these sum to 0.9) (found "split ratios 0.7,0.2")',
  ],
  [
    'an unknown split type',
    '{"dataset": "demo", "model": "mf", "split": {"type": "kfold"}}',
    `: ${SCHEMA} /split/type must be one of: given, ratio, loo, temporal`,
  ],
  [
    'a wrong loo order',
    '{"dataset": "demo", "model": "mf", "split": {"type": "loo", "order": "latest"}}',
    `: ${SCHEMA} /split/order must be equal to one of the allowed values: time, random`,
  ],
  [
    'a split given as a string',
    '{"dataset": "demo", "model": "mf", "split": "loo"}',
    `: ${SCHEMA} /split must be object`,
  ],
  [
    'an unknown selection',
    '{"dataset": "demo", "model": "mf", "selectOn": "best"}',
    `: ${SCHEMA} /selectOn must be equal to one of the allowed values: valid, test, last`,
  ],
  [
    'selection without evaluations',
    '{"dataset": "demo", "model": "mf", "evalEvery": 0, "selectOn": "valid"}',
    ': expected evalEvery >= 1 to select the best epoch on validation (or selectOn "last") (found "evalEvery 0")',
  ],
  [
    'an embedding size of 0',
    '{"dataset": "demo", "model": "mf", "hyper": {"dim": 0}}',
    `: ${SCHEMA} /hyper/dim must be >= 1`,
  ],
  [
    'a batch size of 0',
    '{"dataset": "demo", "model": "ngcf", "hyper": {"batchSize": 0}}',
    `: ${SCHEMA} /hyper/batchSize must be >= 1`,
  ],
  [
    'an unknown loss',
    '{"dataset": "demo", "model": "mf", "hyper": {"loss": "hinge"}}',
    `: ${SCHEMA} /hyper/loss must be equal to one of the allowed values: bpr, bce, margin`,
  ],
  [
    'a hyperparameter the model does not have',
    '{"dataset": "demo", "model": "mf", "hyper": {"layer": 3}}',
    ': expected a hyperparameter of mf, one of: dim, lr, reg, batchSize, initStd, lrSchedule, lrEpochs, lrMin, loss, margin, negatives, sampler, sharedNegatives, hardNegatives, curriculum, hardRankFrom, hardRankTo, optimizer (found "layer")',
  ],
  [
    'a cosine schedule without its length',
    '{"dataset": "demo", "model": "lightgcn", "hyper": {"lrSchedule": "cosine"}}',
    ': expected lrEpochs to be an integer >= 1 with lrSchedule "cosine" (the epochs over which lr falls) (found "lrEpochs=0")',
  ],
];

for (const [what, text, expected] of CASES) {
  test(`experiment file with ${what} is refused, naming the file; nothing is written`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclab-badexp-'));
    const file = join(dir, 'x.reclab.json');
    writeFileSync(file, text);
    const r = await reclab(['train', file, '-w', dir, '--threads', '1']);
    assert.equal(r.code, 1);
    assert.deepEqual(r.err, [`reclab: ${file}${expected}`]);
    assert.deepEqual(readdirSync(dir), ['x.reclab.json']);
  });
}
