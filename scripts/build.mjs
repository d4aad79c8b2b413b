// Bundles the four programs RecLab ships: the CLI/library (Node), the extension host entry,
// the training worker and the webview (browser). Entries that do not exist yet are skipped.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const prod = process.argv.includes('--production');

// Kept out of the bundles: the editor API, tfjs whose backends load native/wasm files
// from their own package folders at run time, and druidjs (t-SNE), an LGPL library that the
// VSIX ships as its own unmodified file so that it stays replaceable.
const nodeExternal = [
  'vscode',
  '@saehrimnir/druidjs',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
];

const nodeEntries = [
  { in: 'src/cli/main.ts', out: 'cli' },
  { in: 'src/index.ts', out: 'lib' },
  { in: 'src/engine/poolWorker.ts', out: 'pool-worker' },
  { in: 'src/engine/walkWorker.ts', out: 'walk-worker' },
  { in: 'extension/extension.ts', out: 'extension' },
  { in: 'extension/worker/trainWorker.ts', out: 'train-worker' },
].filter((e) => existsSync(e.in));

const webEntries = [{ in: 'webview/main.ts', out: 'webview' }].filter((e) => existsSync(e.in));

const common = { bundle: true, sourcemap: !prod, minify: prod, logLevel: 'info', outdir: 'dist' };

const builds = [];
if (nodeEntries.length)
  builds.push(
    build({
      ...common,
      entryPoints: nodeEntries,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: nodeExternal,
    }),
  );
if (webEntries.length)
  builds.push(
    build({
      ...common,
      entryPoints: webEntries,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
    }),
  );

if (watch) {
  console.error('watch mode is not supported by this script; use npm run build after edits');
}
await Promise.all(builds);
