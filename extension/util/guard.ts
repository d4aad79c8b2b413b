/**
 * Every command handler goes through here: an exception becomes an error notification (and a
 * line in the output channel), never an unhandled rejection in the extension host.
 */
import * as vscode from 'vscode';
import { displayMessage } from './errorText.js';

let channel: vscode.OutputChannel | undefined;

export function setLogChannel(c: vscode.OutputChannel): void {
  channel = c;
}

export function log(line: string): void {
  channel?.appendLine(`[${new Date().toLocaleTimeString()}] ${line}`);
}

export function showError(what: string, e: unknown): void {
  const message = `RecLab: ${what} failed: ${displayMessage(e)}`;
  log(message);
  void vscode.window.showErrorMessage(message);
}

/** Wraps a command handler so that nothing it throws escapes. */
export function guarded<A extends unknown[]>(
  what: string,
  f: (...args: A) => unknown,
): (...args: A) => Promise<unknown> {
  return async (...args: A) => {
    try {
      return await f(...args);
    } catch (e) {
      showError(what, e);
      return undefined;
    }
  };
}
