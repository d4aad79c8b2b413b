/**
 * The Compare panel's sweep view: when the checked runs hold runs of a sweep, a "Sweep view"
 * button opens parallel coordinates of its hyperparameters against a chosen metric and a
 * scatter of one chosen hyperparameter against it (charts built in sweepSpec.ts).
 */
import type { SweepTable } from '../../src/runs/sweepView.js';
import { embed, rendered } from '../chart.js';
import { clear, h } from '../dom.js';
import { parallelSpec, scatterSpec } from './sweepSpec.js';

export interface SweepView {
  /** the toolbar button, hidden while no checked run belongs to a sweep */
  readonly button: HTMLButtonElement;
  readonly section: HTMLElement;
  /** new runs or checks */
  update(sweeps: readonly SweepTable[], selected: ReadonlySet<string>): Promise<void>;
  /** Show Sweep: open the view on this sweep */
  open(id: string): Promise<void>;
}

/** The sweeps with a checked run, each with at least two runs to compare. */
export function sweepsInSelection(
  sweeps: readonly SweepTable[],
  selected: ReadonlySet<string>,
): SweepTable[] {
  return sweeps.filter((t) => t.runs.length > 1 && t.runs.some((r) => selected.has(r.runId)));
}

function fill(select: HTMLSelectElement, options: ReadonlyArray<[string, string]>, want: string) {
  clear(select);
  for (const [value, label] of options) select.append(h('option', { value }, label));
  select.value = options.some(([v]) => v === want) ? want : (options[0]?.[0] ?? '');
}

export function mountSweepView(): SweepView {
  const button = h(
    'button',
    { type: 'button', id: 'sweep-toggle', hidden: true, 'aria-expanded': 'false' },
    'Sweep view',
  );
  const pickSweep = h('select', { id: 'sweep-id', 'aria-label': 'Sweep' });
  const pickMetric = h('select', { id: 'sweep-metric', 'aria-label': 'Metric' });
  const pickAxis = h('select', { id: 'sweep-axis', 'aria-label': 'Hyperparameter' });
  const note = h('p', { class: 'muted', id: 'sweep-note' });
  const parallelEl = h('div', { class: 'chart', id: 'sweep-parallel' });
  const scatterEl = h('div', { class: 'chart', id: 'sweep-scatter' });
  const section = h(
    'section',
    { id: 'sweep-view', class: 'sweep', hidden: true },
    h(
      'div',
      { class: 'toolbar' },
      h('strong', {}, 'Sweep'),
      pickSweep,
      h('label', {}, 'metric ', pickMetric),
      h('label', {}, 'scatter of ', pickAxis),
    ),
    note,
    h('div', { class: 'grid2' }, parallelEl, scatterEl),
  );
  let sweeps: SweepTable[] = [];
  let open = false;
  /** the sweep Show Sweep asked for, until it is among the checked runs' sweeps */
  let want: string | undefined;

  async function draw(): Promise<void> {
    button.hidden = sweeps.length === 0;
    button.setAttribute('aria-expanded', String(open && sweeps.length > 0));
    section.hidden = !open || sweeps.length === 0;
    if (section.hidden) return;
    fill(
      pickSweep,
      sweeps.map((t) => [t.id, `${t.id} (${t.runs.length} runs)`]),
      want && sweeps.some((t) => t.id === want) ? want : pickSweep.value,
    );
    if (want && pickSweep.value === want) want = undefined;
    const t = sweeps.find((x) => x.id === pickSweep.value) ?? sweeps[0];
    const metric = pickMetric.value || 'recall@20';
    fill(
      pickMetric,
      t.metrics.map((m) => [m, m]),
      t.metrics.includes(metric) ? metric : (t.metrics.find((m) => m === 'recall@20') ?? ''),
    );
    const firstNumeric = t.axes.find((a) => a.numeric)?.key ?? t.axes[0]?.key ?? '';
    fill(
      pickAxis,
      t.axes.map((a) => [a.key, `${a.label}${a.log ? ' (log)' : ''}`]),
      pickAxis.value || firstNumeric,
    );
    const axis = t.axes.find((a) => a.key === pickAxis.value);
    const unfinished = t.runs.filter((r) => !(pickMetric.value in r.metrics)).length;
    note.textContent = [
      t.axes.length === 0 ? 'Only the seed varies in this sweep: nothing to plot against.' : '',
      unfinished
        ? `${unfinished} of ${t.runs.length} runs have no test ${pickMetric.value} yet.`
        : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (!axis || !pickMetric.value) {
      clear(parallelEl);
      clear(scatterEl);
      return;
    }
    await embed(parallelEl, parallelSpec(t, pickMetric.value));
    await embed(scatterEl, scatterSpec(t, axis, pickMetric.value));
    rendered();
  }

  button.addEventListener('click', () => {
    open = !open;
    void draw();
  });
  for (const s of [pickSweep, pickMetric, pickAxis])
    s.addEventListener('change', () => void draw());

  return {
    button,
    section,
    async update(all, selected) {
      sweeps = sweepsInSelection(all, selected);
      await draw();
    },
    async open(id) {
      open = true;
      want = id;
      await draw();
      section.scrollIntoView();
    },
  };
}
