#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI itself is bundled by `npm run build` (run by `npm ci`/`npm install` via "prepare").
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('reclab: dist/cli.js is missing; run `npm run build` first.');
  process.exit(1);
}
// `reclab ... | head` closes the pipe early: that is the reader being done, not an error
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
require(cli)
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (err) => {
      console.error(`reclab: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
