/**
 * One editor panel of a kind and key (e.g. embeddings of run X): created once, revealed on
 * later requests, restored after a reload by the kind's serializer. Subclasses own their
 * state and send plain data; the webview only draws.
 */
import * as vscode from 'vscode';
import { displayMessage } from '../util/errorText.js';
import type { HostMessage, PanelKind, WebviewMessage } from '../shared/messages.js';
import { panelHtml, webviewOptions } from './html.js';
import { PanelChannel } from './panelChannel.js';

export abstract class Panel implements vscode.Disposable {
  protected readonly channel: PanelChannel;
  private readonly subs: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly kind: PanelKind,
    readonly key: string,
    extensionUri: vscode.Uri,
    state: unknown,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'reclab.svg');
    this.channel = new PanelChannel(panel.webview, `${kind} panel`, (m) => this.onMessage(m));
    panel.webview.html = panelHtml(panel.webview, extensionUri, kind, panel.title, state);
    this.subs.push(
      this.channel,
      panel.onDidDispose(() => this.dispose()),
      // hidden panels lose their page; it reloads and says 'ready' when shown again
      panel.onDidChangeViewState(() => panel.visible || this.channel.reset()),
    );
  }

  get webviewErrors(): readonly string[] {
    return this.channel.errors;
  }

  get renderCount(): number {
    return this.channel.rendered;
  }

  protected post(m: HostMessage): void {
    if (!this.disposed) this.channel.post(m);
  }

  /** Runs an async load, showing a loading line and then the data or the error in the panel. */
  protected async load(what: string, f: () => Promise<HostMessage>): Promise<void> {
    this.post({ type: 'loading', message: what });
    try {
      this.post(await f());
    } catch (e) {
      this.post({ type: 'error', message: displayMessage(e) });
    }
  }

  protected track(d: vscode.Disposable): void {
    this.subs.push(d);
  }

  protected onMessage(_m: WebviewMessage): void | Promise<void> {}

  abstract refresh(): void | Promise<void>;

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Shows the panel and waits until its page is loaded and drawn (for exports and tests). */
  async revealAndWait(timeoutMs = 30000): Promise<void> {
    const before = this.channel.rendered;
    const wasReady = this.channel.isReady && this.panel.visible;
    this.reveal();
    if (wasReady) return;
    const t0 = Date.now();
    while (this.channel.rendered === before) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`the ${this.kind} panel did not render`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.subs) s.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}

/** Keeps one panel per key for a kind. */
export class PanelRegistry<P extends Panel> {
  private readonly open = new Map<string, P>();

  get(key: string): P | undefined {
    return this.open.get(key);
  }

  all(): P[] {
    return [...this.open.values()];
  }

  add(p: P): P {
    this.open.set(p.key, p);
    p.onDidDispose(() => {
      if (this.open.get(p.key) === p) this.open.delete(p.key);
    });
    return p;
  }

  disposeAll(): void {
    for (const p of this.all()) p.dispose();
  }
}
