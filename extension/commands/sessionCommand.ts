/**
 * RecLab: Show Session...: a next-item run (gru4rec), then one of its sessions, then the
 * session's items in order and the model's next items after it.
 */
import * as vscode from 'vscode';
import { MODELS } from '../../src/models/registry.js';
import type { SessionView } from '../shared/messages.js';
import type { Services } from '../services.js';
import { runJob } from '../training/workerClient.js';
import { log } from '../util/guard.js';
import { runLabel } from '../views/runLabels.js';
import { resolveRun } from './pickRun.js';

/** Next items the command lists. */
const K = 20;

function isNextItemModel(model: string | undefined): boolean {
  return model !== undefined && MODELS.get(model)?.nextItem === true;
}

/**
 * `runArg`: a tree node, a run id or nothing (pick); `sessionArg`: a session id or "#<index>"
 * (tests, links), else a quick pick of the run's sessions. Logs the session and its next items;
 * shows them in a quick pick when the session was picked by hand. Resolves with the view, or
 * undefined when a pick is dismissed.
 */
export async function showSessionCommand(
  s: Services,
  runArg: unknown,
  sessionArg?: unknown,
): Promise<SessionView | undefined> {
  const run = await resolveRun(s.store, runArg, {
    title: 'Show a session of the next-item run…',
    filter: (r) => r.state.status === 'done' && isNextItemModel(r.meta?.model),
  });
  if (!run) return undefined;
  let session: string | undefined;
  if (typeof sessionArg === 'string') session = sessionArg;
  else {
    const { sessions } = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `RecLab: sessions of ${runLabel(run)}…`,
      },
      () => runJob(s.workers, { type: 'sessions', runDir: run.dir }, 'sessionsListed'),
    );
    const pick = await vscode.window.showQuickPick(
      sessions.map((x) => ({
        label: x.id,
        description: `${x.events} items · ${x.part}`,
        index: x.index,
      })),
      { title: `Which session? (${runLabel(run)})`, matchOnDescription: true },
    );
    session = pick ? `#${pick.index}` : undefined;
  }
  if (session === undefined) return undefined;
  const request = { type: 'session', runDir: run.dir, session, k: K } as const;
  const { view } = await runJob(s.workers, request, 'sessionShown');
  const items = view.items.map((x) => x.item).join(' → ');
  log(
    `session ${view.session} (${view.part}, ${runLabel(run)}, ${view.from}): ${items || 'no items'}; next: ${view.next.map((x) => x.item).join(', ')}`,
  );
  if (typeof sessionArg !== 'string') {
    const separator = (label: string) => ({ label, kind: vscode.QuickPickItemKind.Separator });
    void vscode.window.showQuickPick(
      [
        separator(`the session's ${view.items.length} items, in order`),
        ...view.items.map((x, i) => ({ label: `${i + 1}. ${x.item}` })),
        separator(`the model's next items`),
        ...view.next.map((x, i) => ({
          label: `${i + 1}. ${x.item}`,
          description: `score ${x.score.toFixed(3)}`,
        })),
      ],
      { title: `Session ${view.session} — ${runLabel(run)}` },
    );
  }
  return view;
}
