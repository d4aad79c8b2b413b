/** An experiment file names a two-stage pipeline: the schema takes it, a run reports its stages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExperiment } from '../../../src/runs/experiment.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';

test('a twostage experiment trains, evaluates and reports each stage', async () => {
  const config = parseExperiment({
    dataset: 'demo',
    model: 'twostage',
    hyper: { generator: 'itemknn', candidates: 50, ranker: 'mlp' },
    epochs: 1,
    threads: 1,
  });
  const logs: string[] = [];
  const r = await runExperiment(config, { save: false, log: (m) => logs.push(m) });
  const stages = r.summary.stages;
  assert.ok(stages, 'the summary has the stage report');
  assert.equal(stages.generator, 'itemknn');
  assert.deepEqual(Object.keys(stages.candidateRecall), [
    'recall@50',
    'recall@100',
    'recall@500',
    'recall@1000',
  ]);
  // the report's final figures are the run's test metrics
  assert.ok(Math.abs(stages.metrics['recall@20'] - r.summary.metrics['recall@20']) < 1e-9);
  assert.ok(stages.metrics['recall@20'] <= stages.candidateRecall['recall@50'] + 1e-12);
  assert.ok(
    logs.some((l) => l.startsWith('stages: itemknn candidates recall@50')),
    logs.join('\n'),
  );
});

test('the schema refuses a generator that trains', () => {
  assert.throws(
    () => parseExperiment({ dataset: 'demo', model: 'twostage', hyper: { generator: 'mf' } }),
    /generator/,
  );
});
