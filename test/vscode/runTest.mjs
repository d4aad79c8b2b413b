// `npm run test:vscode` on a machine with internet: downloads VS Code with @vscode/test-electron
// and runs the same suite that test/e2e runs through code-server here.
import { runTests } from '@vscode/test-electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const workspace = mkdtempSync(join(tmpdir(), 'reclab-ws-'));
try {
  await runTests({
    extensionDevelopmentPath: resolve('.'),
    extensionTestsPath: resolve('out/test/vscode/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error('VS Code tests failed:', e);
  process.exit(1);
}
