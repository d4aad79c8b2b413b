/**
 * The host's end of one webview: typed posting, typed and checked receiving, and errors from
 * the webview logged. A webview without retainContextWhenHidden loses its page when hidden
 * and reloads it when shown, so the channel keeps the latest data message of each type and
 * replays them whenever the page says 'ready' again; other messages wait for 'ready'.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../src/util/errors.js';
import { isWebviewMessage, type HostMessage, type WebviewMessage } from '../shared/messages.js';
import { log, showError } from '../util/guard.js';

/** Messages that describe what the page shows (replayed after a reload), as opposed to requests. */
const STICKY = new Set<HostMessage['type']>([
  'metrics',
  'embeddings',
  'dataset',
  'compare',
  'dashboard',
  'loading',
  'error',
  'userDetail',
  'projecting',
]);

/** Sticky messages that say what is going on until the next data message replaces them. */
const STATUS = new Set<HostMessage['type']>(['loading', 'error', 'projecting']);

export class PanelChannel implements vscode.Disposable {
  private ready = false;
  private readonly latest = new Map<HostMessage['type'], HostMessage>();
  private pending: HostMessage[] = [];
  private readonly sub: vscode.Disposable;
  /** webview errors seen (tests read them) */
  readonly errors: string[] = [];
  rendered = 0;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly name: string,
    private readonly handler: (m: WebviewMessage) => void | Promise<void>,
  ) {
    this.sub = webview.onDidReceiveMessage(async (m: unknown) => {
      if (!isWebviewMessage(m)) {
        log(`${name}: ignored a malformed webview message`);
        return;
      }
      if (m.type === 'ready') {
        this.ready = true;
        const queued = [...this.latest.values(), ...this.pending];
        this.pending = [];
        for (const q of queued) this.send(q);
      } else if (m.type === 'webviewError') {
        this.errors.push(m.message);
        log(`${name} webview error: ${m.message}`);
      } else if (m.type === 'rendered') {
        this.rendered++;
      }
      try {
        await this.handler(m);
      } catch (e) {
        showError(`${name} (${m.type})`, e);
      }
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The page is gone (panel hidden) or being replaced: hold messages until it is 'ready'. */
  reset(): void {
    this.ready = false;
  }

  post(m: HostMessage): void {
    if (STICKY.has(m.type)) {
      // 'loading', 'error' and 'projecting' describe the state until the next data message
      if (!STATUS.has(m.type)) for (const t of STATUS) this.latest.delete(t);
      // a failed projection is no longer being computed
      if (m.type === 'error') this.latest.delete('projecting');
      this.latest.delete(m.type);
      this.latest.set(m.type, m);
    } else if (!this.ready) this.pending.push(m);
    if (this.ready) this.send(m);
  }

  private send(m: HostMessage): void {
    this.webview
      .postMessage(m)
      .then(undefined, (e: unknown) => log(`${this.name}: post failed: ${errorMessage(e)}`));
  }

  dispose(): void {
    this.sub.dispose();
  }
}
