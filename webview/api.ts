/** The webview's end of the contract: typed post/receive, state, and errors reported to the host. */
import {
  isHostMessage,
  type HostMessage,
  type WebviewMessage,
} from '../extension/shared/messages.js';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(m: WebviewMessage): void {
  api.postMessage(m);
}

export function onHostMessage(f: (m: HostMessage) => void | Promise<void>): void {
  window.addEventListener('message', (ev: MessageEvent<unknown>) => {
    if (!isHostMessage(ev.data)) return;
    Promise.resolve(f(ev.data)).catch((e: unknown) => reportError(e));
  });
}

export function getState<T>(): Partial<T> {
  const s = api.getState();
  return typeof s === 'object' && s !== null ? (s as Partial<T>) : {};
}

export function setState(s: unknown): void {
  api.setState(s);
}

export function reportError(e: unknown): void {
  const message = e instanceof Error ? `${e.message}` : String(e);
  console.error(e);
  post({ type: 'webviewError', message });
}

window.addEventListener('error', (ev) => reportError(ev.error ?? ev.message));
window.addEventListener('unhandledrejection', (ev) => reportError(ev.reason));
