/** Brings RecLab panels back after a window reload, from the state each webview saved. */
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { ComparePanel } from './comparePanel.js';
import { DatasetPanel } from './datasetPanel.js';
import { EmbeddingsPanel } from './embeddingsPanel.js';
import { embeddingsStateFrom } from './embeddingsState.js';
import { MetricsPanel } from './metricsPanel.js';
import { RelationsPanel } from './relationsPanel.js';

function obj(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
}

const strings = (x: unknown): string[] =>
  Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];

export function registerSerializers(s: Services): vscode.Disposable[] {
  const reg = (
    viewType: string,
    restore: (panel: vscode.WebviewPanel, state: Record<string, unknown>) => void,
  ) =>
    vscode.window.registerWebviewPanelSerializer(viewType, {
      deserializeWebviewPanel: async (panel, state) => {
        try {
          restore(panel, obj(state));
        } catch {
          panel.dispose(); // stale state (a deleted run): drop the panel rather than show a broken one
        }
      },
    });
  return [
    reg(MetricsPanel.viewType, (p, st) =>
      MetricsPanel.restore(s, p, { runIds: strings(st.runIds), follow: st.follow === true }),
    ),
    reg(ComparePanel.viewType, (p, st) =>
      ComparePanel.restore(s, p, { runIds: strings(st.runIds) }),
    ),
    reg(DatasetPanel.viewType, (p, st) => {
      if (typeof st.spec !== 'string') throw new Error('no spec');
      DatasetPanel.restore(s, p, { spec: st.spec });
    }),
    reg(EmbeddingsPanel.viewType, (p, st) =>
      EmbeddingsPanel.restore(s, p, embeddingsStateFrom(st)),
    ),
    reg(RelationsPanel.viewType, (p, st) => {
      if (typeof st.runId !== 'string') throw new Error('no run');
      RelationsPanel.restore(s, p, { runId: st.runId });
    }),
  ];
}
