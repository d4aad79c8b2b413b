/**
 * The HTML every RecLab webview gets: one bundled script (dist/webview.js) that picks its
 * panel from data-panel, a stylesheet from media/, and a strict CSP with a fresh nonce per
 * render. No 'unsafe-eval': vega runs with its AST interpreter. Inline styles stay allowed
 * because vega and its tooltip set element styles at run time.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { PanelKind } from '../shared/messages.js';

export function nonce(): string {
  return randomBytes(16)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function webviewOptions(
  extensionUri: vscode.Uri,
): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
    retainContextWhenHidden: false,
  };
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** @param state JSON the webview stores with setState, so a serializer can restore the panel */
export function panelHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  panel: PanelKind,
  title: string,
  state: unknown = {},
): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${css.toString()}" rel="stylesheet">
<title>${escapeAttr(title)}</title>
</head>
<body data-panel="${panel}" data-state="${escapeAttr(JSON.stringify(state))}">
<div id="app"><p class="muted">Loading…</p></div>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
}
