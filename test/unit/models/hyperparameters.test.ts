import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  acceptedValue,
  describeRange,
  type HyperDeclaration,
} from '../../../src/models/hyperparameters.js';
import { MODELS, modelEntry, resolveHyper } from '../../../src/models/registry.js';
import type { Hyperparameters } from '../../../src/models/types.js';
import { InputError } from '../../../src/util/errors.js';

test('every model declares exactly the hyperparameters its defaults hold (the ones it reads)', () => {
  for (const [name, entry] of MODELS)
    assert.deepEqual(Object.keys(entry.hyper).sort(), Object.keys(entry.defaults).sort(), name);
});

test('every declared default is inside its declared range, and the defaults together pass', () => {
  for (const [name, entry] of MODELS) {
    for (const [k, d] of Object.entries(entry.hyper)) {
      assert.equal(acceptedValue(d, entry.defaults[k]), entry.defaults[k], `${name}.${k}`);
      assert.ok(d.description && d.source, `${name}.${k} says what it is and where it comes from`);
    }
    assert.deepEqual(resolveHyper(entry), entry.defaults, name);
    assert.deepEqual(resolveHyper(entry, { ...entry.defaults }), entry.defaults, name);
  }
});

const refused = (model: string, given: Hyperparameters, source = 'exp.reclab.json') => {
  try {
    resolveHyper(modelEntry(model), given, source);
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.message;
  }
  assert.fail(`${model} ${JSON.stringify(given)} was accepted`);
};

test('values outside the declared ranges are refused with the source and the accepted values', () => {
  const cases: [string, Hyperparameters, string][] = [
    [
      'mf',
      { dim: 0 },
      'exp.reclab.json: expected mf hyperparameter dim to be an integer >= 1 (found "0")',
    ],
    [
      'lightgcn',
      { dim: -4 },
      'exp.reclab.json: expected lightgcn hyperparameter dim to be an integer >= 1 (found "-4")',
    ],
    [
      'ngcf',
      { batchSize: 0 },
      'exp.reclab.json: expected ngcf hyperparameter batchSize to be an integer >= 1 (found "0")',
    ],
    [
      'mf',
      { lr: -1 },
      'exp.reclab.json: expected mf hyperparameter lr to be a number > 0 (found "-1")',
    ],
    [
      'lightgcn',
      { layers: 1.5 },
      'exp.reclab.json: expected lightgcn hyperparameter layers to be an integer >= 0 (found "1.5")',
    ],
    [
      'mf',
      { loss: 'foo' },
      'exp.reclab.json: expected mf hyperparameter loss to be one of bpr, bce, margin (found "foo")',
    ],
    [
      'lightgcn',
      { sampler: 'foo' },
      'exp.reclab.json: expected lightgcn hyperparameter sampler to be one of uniform, popularity (found "foo")',
    ],
    [
      'ngcf',
      { messageDropout: 1 },
      'exp.reclab.json: expected ngcf hyperparameter messageDropout to be a number in [0, 1) (found "1")',
    ],
    [
      'ngcf',
      { propagation: 'both' },
      'exp.reclab.json: expected ngcf hyperparameter propagation to be one of paper, authors (found "both")',
    ],
    [
      'itemknn',
      { k: 0 },
      'exp.reclab.json: expected itemknn hyperparameter k to be an integer >= 1 (found "0")',
    ],
    [
      'mf',
      { dim: 'big' },
      'exp.reclab.json: expected mf hyperparameter dim to be an integer >= 1 (found "big")',
    ],
    [
      'mf',
      { layers: 2 },
      'exp.reclab.json: expected a hyperparameter of mf, one of: dim, lr, reg, batchSize, initStd, lrSchedule, lrEpochs, lrMin, loss, margin, negatives, sampler, sharedNegatives, hardNegatives, curriculum, hardRankFrom, hardRankTo, optimizer (found "layers")',
    ],
    [
      'popularity',
      { dim: 8 },
      'exp.reclab.json: expected no hyperparameters: popularity has none (found "dim")',
    ],
    // rules between hyperparameters, also before any data is read
    [
      'mf',
      { lrSchedule: 'cosine' },
      'exp.reclab.json: expected lrEpochs to be an integer >= 1 with lrSchedule "cosine" (the epochs over which lr falls) (found "lrEpochs=0")',
    ],
    [
      'lightgcn',
      { layers: 2, layerWeights: '1,1' },
      'exp.reclab.json: expected layerWeights: 3 comma-separated numbers (alpha_0..alpha_2) (found "1,1")',
    ],
  ];
  for (const [model, given, message] of cases) assert.equal(refused(model, given), message);
});

test('a source per name locates each value (a flag for one, the file for the rest)', () => {
  const where = (k: string) => (k === 'dim' ? '--dim' : 'exp.reclab.json');
  assert.throws(
    () => resolveHyper(modelEntry('mf'), { dim: 0 }),
    (e: Error) => e.message.startsWith('hyperparameters: expected mf hyperparameter dim'),
  );
  assert.throws(
    () => resolveHyper(modelEntry('mf'), { dim: 0 }, where),
    (e: Error) => e.message.startsWith('--dim: expected mf hyperparameter dim'),
  );
  assert.throws(
    () => resolveHyper(modelEntry('mf'), { dim: 8, lr: 0 }, where),
    (e: Error) => e.message.startsWith('exp.reclab.json: expected mf hyperparameter lr'),
  );
});

test('values from a command line are read as their declared type; the default lrEpochs 0 stands', () => {
  const mf = modelEntry('mf');
  const r = resolveHyper(mf, { dim: '16', lr: '0.01', lrEpochs: 0 });
  assert.deepEqual([r.dim, r.lr, r.lrEpochs], [16, 0.01, 0]);
  const lg = resolveHyper(modelEntry('lightgcn'), { layers: 0, layerWeights: 1 });
  assert.equal(lg.layerWeights, '1');
  assert.equal(resolveHyper(mf, { lrSchedule: 'cosine', lrEpochs: 10 }).lrEpochs, 10);
});

/** What a declaration says in JSON-schema words. */
function schemaKeywords(d: HyperDeclaration) {
  const out: Record<string, unknown> = {};
  if (d.type === 'enum') out.enum = [...d.choices];
  else out.type = d.type === 'string' ? ['string', 'number'] : d.type;
  if (d.type === 'integer' || d.type === 'number') {
    if (d.min !== undefined) out[d.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = d.min;
    if (d.max !== undefined) out[d.exclusiveMax ? 'exclusiveMaximum' : 'maximum'] = d.max;
  }
  return out;
}

test("the experiment schema's hyper properties are the declarations: names, types, ranges, defaults", () => {
  const schema = JSON.parse(readFileSync('schemas/experiment.schema.json', 'utf8'));
  const props = schema.properties.hyper.properties as Record<string, Record<string, unknown>>;
  const declared = new Map<string, { model: string; value: unknown }[]>();
  for (const [model, entry] of MODELS) {
    for (const [k, d] of Object.entries(entry.hyper)) {
      const p = props[k];
      assert.ok(p, `schema lists ${k} (${model})`);
      const { description, default: _default, ...keywords } = p;
      // one name means one thing: every model that reads it accepts the same values
      assert.deepEqual(keywords, schemaKeywords(d), `${model}.${k}`);
      assert.ok(
        String(description).includes(describeRange(d)),
        `${k}: the description gives the range`,
      );
      declared.set(k, [...(declared.get(k) ?? []), { model, value: entry.defaults[k] }]);
    }
  }
  assert.deepEqual(Object.keys(props).sort(), [...declared.keys()].sort());
  for (const [k, list] of declared) {
    const description = String(props[k].description);
    for (const { model, value } of list)
      assert.ok(
        description.includes(`${model} ${JSON.stringify(value)}`),
        `${k}: ${model}'s default`,
      );
    const same = new Set(list.map((x) => JSON.stringify(x.value))).size === 1;
    assert.deepEqual(props[k].default, same ? list[0].value : undefined, `${k}: shared default`);
  }
});
