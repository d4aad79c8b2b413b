/**
 * The project's lint configuration keeps src/'s layers in order: an import from a higher layer
 * fails `npm run lint` wherever it is written, and the imports the code needs pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint();

/** The layer-order messages for `code` as if it were the file `file` of this repository. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages
    .filter((m) => m.ruleId === 'reclab/layer-order')
    .map((m) => `${m.line}: ${m.message}`);
}

test('an upward import is an error, at any depth and in any import form', async () => {
  const errors = await layerErrors(
    'src/engine/ranker/upward.ts',
    [
      "import type { TopKRanker } from '../../eval/ranking.js';",
      "export { trainLoop } from '../../train/trainer.js';",
      "export * from '../../models/types.js';",
      "export const cli = (): Promise<unknown> => import('../../cli/main.js');",
      'export type T = TopKRanker;',
    ].join('\n'),
  );
  assert.equal(errors.length, 4, errors.join('\n'));
  assert.match(errors[0], /^1: src\/engine is below src\/eval and must not import it/);
  assert.match(errors[3], /^4: src\/engine is below src\/cli/);
});

test('the upward imports the code once had are errors', async () => {
  assert.match(
    (await layerErrors('src/data/x.ts', "export { writeFileAtomic } from '../runs/atomic.js';"))[0],
    /src\/data is below src\/runs/,
  );
  assert.match(
    (await layerErrors('src/graph/x.ts', "export { Rng } from '../engine/rng.js';"))[0],
    /src\/graph is below src\/engine/,
  );
  assert.match(
    (
      await layerErrors('src/train/x.ts', "export type { Recommender } from '../models/types.js';")
    )[0],
    /src\/train is below src\/models/,
  );
});

test('imports within a layer, downward, of root leaves and outside src/ pass', async () => {
  const errors = await layerErrors(
    'src/models/ok.ts',
    [
      "export { Rng } from '../util/rng.js';",
      "export type { Csr } from '../data/types.js';",
      "export { trainLoop } from '../train/trainer.js';",
      "export { Pool } from '../engine/pool.js';",
      "export type { Recommender } from './types.js';",
      "export { VERSION } from '../version.js';",
      "export { default as schema } from '../../schemas/experiment.schema.json';",
    ].join('\n'),
  );
  assert.deepEqual(errors, []);
});

test('the public entry is off limits inside src/, and a new folder must be given a layer', async () => {
  assert.match(
    (await layerErrors('src/eval/x.ts', "export * from '../index.js';"))[0],
    /src\/eval must not import the public entry index\.ts/,
  );
  assert.match(
    (await layerErrors('src/newstuff/x.ts', 'export const x = 1;'))[0],
    /src\/newstuff has no place in the layer order/,
  );
});

test('the rule that keeps vscode out of src/ still applies beside it', async () => {
  const [result] = await eslint.lintText("export * from 'vscode';", { filePath: 'src/eval/x.ts' });
  assert.ok(
    result.messages.some((m) => m.ruleId === 'no-restricted-imports'),
    JSON.stringify(result.messages),
  );
});
