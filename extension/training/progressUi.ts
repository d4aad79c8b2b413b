/**
 * How training shows in the editor: a notification per run with a Cancel button, a status
 * bar item (model, epoch, last Recall@20) and a message when the run ends.
 */
import * as vscode from 'vscode';
import type { ActiveRun } from '../shared/messages.js';
import { formatMetric, HEADLINE_METRIC, shortMetric } from '../views/runLabels.js';
import { log } from '../util/guard.js';
import type { RunOutcome, TrainingManager } from './trainingManager.js';

/** The last evaluated value of the headline metric in the active run. */
export function lastMetric(a: ActiveRun, metric = HEADLINE_METRIC): number | undefined {
  for (let i = a.history.length - 1; i >= 0; i--) {
    const v = a.history[i].metrics?.[metric];
    if (v !== undefined) return v;
  }
  return undefined;
}

export function progressText(a: ActiveRun): string {
  const parts = [a.model];
  parts.push(a.phase === 'training' || a.epoch > 0 ? `epoch ${a.epoch}/${a.epochs}` : a.phase);
  const m = lastMetric(a);
  if (m !== undefined) parts.push(`${shortMetric(HEADLINE_METRIC)} ${formatMetric(m)}`);
  if (a.queued) parts.push(`+${a.queued} queued`);
  return parts.join(' · ');
}

export class ProgressUi implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'reclab.training',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subs: vscode.Disposable[] = [this.item];
  private notify: ((a: ActiveRun | null) => void) | undefined;
  private finish: (() => void) | undefined;

  /**
   * `recover` may handle a failure another way (ask for a dataset's columns and train again);
   * the failure is shown when it does not (resolves false).
   */
  constructor(
    private readonly training: TrainingManager,
    private readonly recover?: (o: RunOutcome) => Promise<boolean>,
  ) {
    this.item.name = 'RecLab training';
    this.subs.push(
      training.listen({
        onStart: () => this.openNotification(),
        onChange: (a) => this.update(a),
        onEnd: (o) => this.ended(o),
        onLog: (line) => log(line),
      }),
    );
    this.update(null);
  }

  private update(a: ActiveRun | null): void {
    if (a) {
      this.item.text = `$(sync~spin) RecLab: ${progressText(a)}`;
      this.item.tooltip = `Training ${a.label}. Click to stop.`;
      this.item.command = 'reclab.stopTraining';
      this.item.show();
    } else {
      this.item.hide();
    }
    this.notify?.(a);
  }

  private openNotification(): void {
    this.finish?.();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'RecLab', cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          token.onCancellationRequested(() => this.training.cancel());
          let shown = 0;
          this.notify = (a) => {
            if (!a) return;
            const done = a.epochs > 0 ? (100 * a.epoch) / a.epochs : 0;
            progress.report({
              message: `training ${a.label}: ${progressText(a)}`,
              increment: Math.max(0, done - shown),
            });
            shown = Math.max(shown, done);
          };
          this.finish = () => {
            this.notify = undefined;
            this.finish = undefined;
            resolve();
          };
        }),
    );
  }

  private ended(o: RunOutcome): void {
    this.finish?.();
    if (o.status === 'done') {
      const m = o.metrics[HEADLINE_METRIC];
      const text = `RecLab: ${o.job.label} finished${m !== undefined ? `, ${HEADLINE_METRIC} ${formatMetric(m)}` : ''}.`;
      log(text);
      void vscode.window.showInformationMessage(text, 'Show Metrics', 'Compare').then((pick) => {
        if (pick === 'Show Metrics')
          void vscode.commands.executeCommand('reclab.showMetrics', o.id);
        if (pick === 'Compare') void vscode.commands.executeCommand('reclab.compare');
      });
    } else if (o.status === 'cancelled') {
      log(`${o.job.label} cancelled`);
      void vscode.window.showInformationMessage(`RecLab: ${o.job.label} cancelled.`);
    } else {
      log(`${o.job.label} failed: ${o.message}`);
      const show = () =>
        void vscode.window.showErrorMessage(`RecLab: ${o.job.label} failed: ${o.message}`);
      if (!this.recover) show();
      else
        void this.recover(o).then(
          (handled) => handled || show(),
          () => show(),
        );
    }
  }

  dispose(): void {
    this.finish?.();
    for (const s of this.subs) s.dispose();
  }
}
