import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

// `reclab train --help | head -3`: the reader closing the pipe is not a crash with a stack trace
test('output piped into a reader that stops early ends quietly with exit code 0', async (t) => {
  if (!existsSync('dist/cli.js')) return t.skip('dist/cli.js not built (npm test builds it first)');
  const child = spawn(process.execPath, ['bin/reclab.js', 'train', '--help'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // the reader is gone before the first line: every write meets a closed pipe
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
