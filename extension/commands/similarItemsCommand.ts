/** RecLab: Similar Items...: a run, then an item (by id or label), then its most similar items. */
import * as vscode from 'vscode';
import type { ItemDetail } from '../shared/messages.js';
import type { Services } from '../services.js';
import { findItem, itemDetail, itemText } from '../shared/similarItems.js';
import { runJob } from '../training/workerClient.js';
import { log } from '../util/guard.js';
import { runLabel } from '../views/runLabels.js';
import { resolveRun } from './pickRun.js';

/** Neighbours the command lists per item. */
const K = 20;

/**
 * `runArg`: a tree node, a run id or nothing (pick); `itemArg`: an item id or label (tests,
 * links), else a quick pick of the run's items. Logs the list; shows it in a quick pick when
 * the item was picked by hand. Resolves with the list, or undefined when a pick is dismissed.
 */
export async function similarItemsCommand(
  s: Services,
  runArg: unknown,
  itemArg?: unknown,
): Promise<ItemDetail | undefined> {
  const run = await resolveRun(s.store, runArg, {
    title: 'Similar items by the item-item graph of…',
    filter: (r) => r.state.status === 'done',
  });
  if (!run) return undefined;
  const { graph } = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `RecLab: item-item graph of ${runLabel(run)}…`,
    },
    () => runJob(s.workers, { type: 'itemGraph', runDir: run.dir, k: K }, 'itemGraphBuilt'),
  );
  let index: number | undefined;
  if (typeof itemArg === 'string') {
    index = findItem(graph, itemArg);
    if (index === undefined) throw new Error(`no item ${itemArg} in ${runLabel(run)}'s dataset`);
  } else {
    const pick = await vscode.window.showQuickPick(
      graph.ids.map((id, i) => ({ label: id, description: graph.labels?.[i] ?? '', index: i })),
      { title: `Similar items: which item? (${runLabel(run)})`, matchOnDescription: true },
    );
    index = pick?.index;
  }
  if (index === undefined) return undefined;
  const detail = itemDetail(graph, index);
  const name = itemText(detail.item, detail.label);
  log(
    `similar to item ${name} (${runLabel(run)}, item-item graph r=${graph.r}): ${detail.similar.map((x) => itemText(x.item, x.label)).join(', ') || 'none'}`,
  );
  if (typeof itemArg !== 'string') {
    void vscode.window.showQuickPick(
      detail.similar.map((x, i) => ({
        label: `${i + 1}. ${itemText(x.item, x.label)}`,
        description: `weight ${x.weight.toFixed(3)}`,
      })),
      { title: `Most similar to ${name} — ${runLabel(run)}` },
    );
  }
  return detail;
}
