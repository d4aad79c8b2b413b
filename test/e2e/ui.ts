/**
 * UI end-to-end test in Chromium against code-server: trains from the command palette, opens
 * every RecLab panel, waits for its charts (SVG or canvas), fails on webview console errors
 * (CSP violations included) and saves screenshots to test/e2e/screenshots/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { log, remote, withBrowser, workbenchUrl } from './browser.js';

const WS = process.env.WS ?? '/tmp/reclab-e2e/ws-ui';
const EXT = process.env.EXT_DEV || '';
const SHOTS = resolve(process.env.SHOTS ?? 'test/e2e/screenshots');

async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`>${title}`);
    // The first tries often miss while the extension host is still starting.
    if (
      await row.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    if (attempt >= 15) throw new Error(`command not in palette: ${title}`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
  await page.keyboard.press('Enter');
  log('ran', title);
}

async function pick(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 20000 });
  await row.click();
}

/** The frame showing RecLab panel `kind` (webviews nest: iframe.webview > #active-frame). */
async function panelFrame(page: Page, kind: string, timeoutMs = 60000): Promise<Frame> {
  const t0 = Date.now();
  for (;;) {
    for (const f of page.frames()) {
      const k = await f.evaluate(() => document.body?.dataset.panel ?? null).catch(() => null);
      if (k === kind) return f;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`no ${kind} webview after ${timeoutMs} ms`);
    await page.waitForTimeout(300);
  }
}

async function waitForChart(f: Frame, selector: string, timeoutMs = 60000): Promise<void> {
  await f.waitForSelector(`${selector} svg, ${selector} canvas`, { timeout: timeoutMs });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(600); // let vega's transitions and the layout settle
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  log('screenshot', path);
}

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(WS, { recursive: true });
  // MF and LightGCN with the demo's settings (`reclab demo`), as a user would compare them
  for (const model of ['mf', 'lightgcn']) {
    const experiment = {
      name: `ui-${model}`,
      dataset: 'demo',
      model,
      hyper: { lr: 0.005 },
      epochs: 20,
      evalEvery: 2,
    };
    writeFileSync(join(WS, `ui-${model}.reclab.json`), `${JSON.stringify(experiment, null, 2)}\n`);
  }
  const errors: string[] = [];
  await withBrowser(async (page) => {
    page.on('console', (m) => {
      const url = m.location().url;
      const text = m.text();
      const fromWebview =
        /webview|vscode-resource|vscode-cdn/.test(url) || /Content.Security.Policy/i.test(text);
      if (m.type() === 'error' && fromWebview) errors.push(`${text} (${url})`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    const payload: Array<[string, string]> = EXT
      ? [
          ['extensionDevelopmentPath', remote(EXT)],
          ['skipWelcome', 'true'],
        ]
      : [];
    await page.goto(workbenchUrl(WS, payload));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    log('workbench ready');

    // Train from the palette: mf, then lightgcn (queued behind it).
    await runCommand(page, 'RecLab: Open Dashboard');
    await panelFrame(page, 'dashboard');
    await runCommand(page, 'RecLab: Run Experiment File');
    await pick(page, 'ui-mf.reclab.json');
    await runCommand(page, 'RecLab: Run Experiment File');
    await pick(page, 'ui-lightgcn.reclab.json');
    await page
      .locator('.statusbar-item', { hasText: 'RecLab:' })
      .first()
      .waitFor({ timeout: 60000 });
    const dash = await panelFrame(page, 'dashboard');
    await waitForChart(dash, '#dash-loss', 60000).catch(() => undefined);
    // the Experiments tree lists the running run (live epoch) and the queued one
    await page
      .locator('.monaco-list-row', { hasText: /mf · epoch \d+\/20/ })
      .waitFor({ timeout: 60000 });
    await page.locator('.monaco-list-row', { hasText: /lightgcn · queued/ }).waitFor();
    await shot(page, '01-training-dashboard');
    await page
      .locator('.notifications-toasts', { hasText: 'ui-lightgcn finished' })
      .waitFor({ timeout: 180000 });
    log('training finished');
    await shot(page, '02-experiments-tree');

    await runCommand(page, 'RecLab: Show Metrics');
    await pick(page, 'ui-lightgcn');
    const metrics = await panelFrame(page, 'metrics');
    await waitForChart(metrics, '#loss-chart');
    await waitForChart(metrics, '#metric-chart');
    await shot(page, '03-metrics');

    await runCommand(page, 'RecLab: Compare Experiments');
    const compare = await panelFrame(page, 'compare');
    await compare.waitForSelector('#compare-table td.best');
    await waitForChart(compare, '#bar-chart');
    await waitForChart(compare, '#curve-chart');
    await shot(page, '04-compare');

    await runCommand(page, 'RecLab: Show Embeddings');
    await pick(page, 'ui-lightgcn');
    const emb = await panelFrame(page, 'embeddings');
    await waitForChart(emb, '#embedding-chart', 90000);
    await emb.fill('#search', '#0');
    await emb.press('#search', 'Enter');
    await emb.waitForSelector('#user-detail li', { timeout: 60000 });
    await shot(page, '05-embeddings');

    await runCommand(page, 'RecLab: Inspect Dataset');
    await pick(page, 'Demo dataset');
    const ds = await panelFrame(page, 'dataset');
    await ds.waitForSelector('#figures tr');
    await waitForChart(ds, '#degree-chart');
    await waitForChart(ds, '#tail-chart');
    await shot(page, '06-dataset');

    // The same panel in the dark theme: colours come from the theme's CSS variables.
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.waitForFunction(
      () => !!document.querySelector('.monaco-workbench.vs-dark'),
      undefined,
      { timeout: 20000 },
    );
    await page.waitForTimeout(1000);
    await runCommand(page, 'RecLab: Compare Experiments');
    await waitForChart(await panelFrame(page, 'compare'), '#bar-chart');
    await shot(page, '07-compare-dark');
  });
  if (errors.length) throw new Error(`webview console errors:\n${errors.join('\n')}`);
}

main().then(
  () => console.log('UI test passed'),
  (e: unknown) => {
    console.error('UI test failed:', e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
