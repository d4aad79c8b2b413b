/**
 * Runs test/vscode's mocha suite inside code-server's extension host, the way VS Code's own
 * web integration tests do (payload extensionDevelopmentPath + extensionTestsPath); the
 * workbench reports through window.codeAutomationLog / codeAutomationExit.
 */
import { format } from 'node:util';
import { log, remote, withBrowser, workbenchUrl } from './browser.js';

const WS = process.env.WS ?? '/tmp/reclab-e2e/ws';
const EXT = process.env.EXT_DEV || '';
const TESTS = process.env.EXT_TESTS ?? '';
const TIMEOUT_MS = Number(process.env.SUITE_TIMEOUT_MS ?? 420000);

async function main(): Promise<number> {
  return withBrowser(async (page) => {
    let done: (code: number | 'timeout') => void = () => undefined;
    const finished = new Promise<number | 'timeout'>((r) => (done = r));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(args ?? []));
      if (!/^\s*$/.test(line)) console.log(`  ${type === 'error' ? '!' : ' '} ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => done(code));
    const payload: Array<[string, string]> = [
      ['extensionTestsPath', remote(TESTS)],
      ['skipWelcome', 'true'],
    ];
    if (EXT) payload.unshift(['extensionDevelopmentPath', remote(EXT)]);
    const url = workbenchUrl(WS, payload);
    log('open', url);
    await page.goto(url);
    const code = await Promise.race([
      finished,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), TIMEOUT_MS)),
    ]);
    log('suite exit code', code);
    return code === 0 ? 0 : 1;
  });
}

main().then(
  (rc) => process.exit(rc),
  (e: unknown) => {
    console.error('extension tests failed to run:', e);
    process.exit(1);
  },
);
