/**
 * The webview bundle: one script for every RecLab panel. The host renders the same HTML shell
 * with data-panel naming the panel; this picks the panel, saves the host-given state for
 * the panel serializer, and routes host messages to it.
 */
import type { HostMessage, PanelKind } from '../extension/shared/messages.js';
import { getState, onHostMessage, post, reportError, setState } from './api.js';
import { app, banner, clear, clearBanner, h } from './dom.js';
import { mountCompare } from './panels/compare.js';
import { mountDashboard } from './panels/dashboard.js';
import { mountDataset } from './panels/dataset.js';
import { mountEmbeddings } from './panels/embeddings.js';
import { mountMetrics } from './panels/metrics.js';
import { mountRelations } from './panels/relations.js';

const MOUNTS: Record<PanelKind, () => (m: HostMessage) => Promise<void>> = {
  metrics: mountMetrics,
  embeddings: mountEmbeddings,
  dataset: mountDataset,
  compare: mountCompare,
  dashboard: mountDashboard,
  relations: mountRelations,
};

function start(): void {
  const kind = document.body.dataset.panel as PanelKind | undefined;
  if (!kind || !(kind in MOUNTS)) throw new Error(`unknown panel ${String(kind)}`);
  try {
    // what the page saved before it was hidden (a selection, settings) wins over the state
    // the host gave when the panel was created
    const given = JSON.parse(document.body.dataset.state ?? '{}') as Record<string, unknown>;
    setState({ ...given, ...getState<Record<string, unknown>>() });
  } catch {
    // no state to keep: the panel simply is not restored after a reload
  }
  let handle: ((m: HostMessage) => Promise<void>) | undefined;
  // One message at a time: a chart export must not run while the chart is being drawn.
  let queue: Promise<void> = Promise.resolve();
  onHostMessage((m) => {
    queue = queue.then(() => route(m)).catch(reportError);
  });
  const route = async (m: HostMessage): Promise<void> => {
    if (m.type === 'loading') {
      clear(app());
      app().append(h('p', { class: 'muted loading' }, m.message));
      handle = undefined;
      return;
    }
    if (m.type === 'error') {
      // Panels with content keep it and show a banner; otherwise the error is the content.
      if (handle && kind === 'embeddings') return handle(m);
      // nothing drawn yet: the error replaces the loading line ("Reading…") under it
      if (!handle) clear(app());
      banner('error', m.message);
      return;
    }
    clearBanner();
    handle ??= MOUNTS[kind]();
    await handle(m);
  };
  post({ type: 'ready' });
}

try {
  start();
} catch (e) {
  reportError(e);
}
