/** VRKG4Rec's relation assignment: the relation x virtual-relation grid and the fusion weights. */
import type { HostMessage } from '../../extension/shared/messages.js';
import { embed, mutedColour, rendered } from '../chart.js';
import { app, clear, h } from '../dom.js';
import { assignmentSpec, fusionSpec } from './relationsSpec.js';

export function mountRelations(): (m: HostMessage) => Promise<void> {
  return async (m) => {
    if (m.type !== 'relations') return;
    const { view } = m;
    const root = app();
    clear(root);
    const gridEl = h('div', { class: 'chart', id: 'relations-chart' });
    const fusionEl = h('div', { class: 'chart', id: 'fusion-chart' });
    const how =
      view.assignment === 'frozen'
        ? 'the assignment was frozen at its initial argmax (as the authors code)'
        : 'the assignment was learned with the model';
    root.append(
      h('h2', {}, `Relation assignment: ${m.run}`),
      h(
        'p',
        { class: 'muted' },
        `${view.relations.length} original relations (both directions) onto ${view.virtualRelations} virtual relations; ${how}.`,
      ),
      gridEl,
      ...(view.fusion.length > 0 ? [fusionEl] : []),
    );
    await embed(gridEl, assignmentSpec(view, 'Relation assignment', mutedColour()));
    if (view.fusion.length > 0) await embed(fusionEl, fusionSpec(view));
    rendered();
  };
}
