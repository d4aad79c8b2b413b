/**
 * Entry of the extension-host test suite, in the shape both @vscode/test-electron and VS Code's
 * web test runner (code-server, see test/e2e) call: an exported run() that resolves when mocha
 * passes and rejects when it fails.
 */
import Mocha from 'mocha';
import { registerSuite } from './suite.js';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 180000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'suite.js', mocha);
  registerSuite();
  return new Promise((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve(),
    );
  });
}
