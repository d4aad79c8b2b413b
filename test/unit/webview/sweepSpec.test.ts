import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord, SweepTag } from '../../../src/runs/format.js';
import { sweepTable } from '../../../src/runs/sweepView.js';
import { parallelSpec, scatterSpec } from '../../../webview/panels/sweepSpec.js';
import { fakeRun } from '../extension/fixtures.js';

function point(id: string, values: SweepTag['values'], recall: number): RunRecord {
  const r = fakeRun(id, { name: `sw@${id}`, metrics: { 'recall@20': recall } });
  return { ...r, meta: r.meta && { ...r.meta, sweep: { id: 's', point: id, values } } };
}

// lr on a log grid x 2 models x 2 seeds
const table = sweepTable(
  [0.001, 0.01, 0.1].flatMap((lr, i) =>
    ['mf', 'lightgcn'].flatMap((model, j) =>
      [1, 2].map((seed) =>
        point(
          `${i}${j}${seed}`,
          { 'hyper.lr': lr, model, seed },
          0.1 + 0.05 * i + 0.02 * j + 0.001 * seed,
        ),
      ),
    ),
  ),
  's',
);

/** Compiles and renders a spec as the webview does: no eval (the AST interpreter), to SVG. */
async function render(spec: TopLevelSpec) {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const { expressionInterpreter } = await import('vega-interpreter');
  const runtime = vega.parse(vl.compile(spec).spec, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: 'none', expr: expressionInterpreter });
  await view.runAsync();
  return { view, svg: await view.toSVG() };
}

test('parallel coordinates: an axis per swept key and the metric, a line per run', async () => {
  const { view, svg } = await render(parallelSpec(table, 'recall@20'));
  assert.deepEqual(view.scale('x').domain(), ['lr', 'model', 'recall@20']);
  // every lr and model value labels its axis; the metric axis by its min and max
  for (const label of ['0.001', '0.01', '0.1', 'mf', 'lightgcn', '0.1010', '0.2220'])
    assert.ok(svg.includes(`>${label}</text>`), label);
  // 12 runs: 12 lines (vega-lite draws one path per detail group)
  assert.equal((svg.match(/aria-roledescription="line mark"/g) ?? []).length, 12);
  // the metric's colours as one gradient, not a list of symbols
  assert.match(svg, /<linearGradient/);
});

test('scatter: a log x axis for a log grid, the seeds as points and their means as diamonds', async () => {
  const lr = table.axes.find((a) => a.key === 'hyper.lr');
  assert.ok(lr?.log);
  const { view } = await render(scatterSpec(table, lr, 'recall@20'));
  assert.equal(view.scale('x').type, 'log');
  const data = view.data('data_0') as Array<{ kind: string }>;
  assert.equal(data.filter((d) => d.kind === 'run').length, 12);
  assert.equal(data.filter((d) => d.kind === 'mean').length, 6);
  const model = table.axes.find((a) => a.key === 'model');
  assert.ok(model);
  const byModel = await render(scatterSpec(table, model, 'recall@20'));
  assert.equal(byModel.view.scale('x').type, 'point');
});
