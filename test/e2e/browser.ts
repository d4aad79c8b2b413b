/** Shared by the e2e scripts: Chromium (Debian's, driven by playwright-core) against code-server. */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const CS_URL = new URL(process.env.CS_URL ?? 'http://127.0.0.1:8123');
export const RUN_DIR = process.env.E2E_RUN_DIR ?? process.env.RECLAB_E2E_DIR ?? '/tmp/reclab-e2e';

const t0 = Date.now();
export function log(...a: unknown[]): void {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
}

export async function withBrowser<T>(
  f: (page: Page, ctx: BrowserContext) => Promise<T>,
): Promise<T> {
  const udd = mkdtempSync(join(RUN_DIR, 'chrome-'));
  const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    // Chromium writes crash reports under XDG_CONFIG_HOME: keep it in the temp profile.
    env: { ...process.env, XDG_CONFIG_HOME: udd, XDG_CACHE_HOME: udd },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    return await f(page, ctx);
  } finally {
    await ctx.close();
    rmSync(udd, { recursive: true, force: true });
  }
}

/** code-server's remote authority is the host:port the page is served from. */
export function remote(path: string): string {
  return `vscode-remote://${CS_URL.host}${path}`;
}

/** Workbench URL for a folder, with the extension loaded from its development folder if given. */
export function workbenchUrl(folder: string, payload: Array<[string, string]>): string {
  const q = `folder=${encodeURIComponent(folder)}`;
  return `${CS_URL.origin}/?${q}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}
