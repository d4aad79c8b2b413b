// Bundles the extension-host test suite to out/test/vscode/index.js (CommonJS, as VS Code's
// test runner requires it); `vscode` comes from the host and mocha from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: { index: 'test/vscode/index.ts' },
  outdir: 'out/test/vscode',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', 'mocha'],
  logLevel: 'info',
});
