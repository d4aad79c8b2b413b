import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reclab } from './runCli.js';

test('inspect --graph prints components and Louvain communities of the user-item graph', async () => {
  // two groups of users that share no item, and a user whose only item no one else has
  const dir = mkdtempSync(join(tmpdir(), 'reclab-graph-'));
  const file = join(dir, 'two-blocks.csv');
  const rows = ['user,item'];
  for (const u of ['a', 'b', 'c']) for (const i of ['x', 'y', 'z']) rows.push(`${u},${i}`);
  for (const u of ['d', 'e', 'f']) for (const i of ['p', 'q', 'r']) rows.push(`${u},${i}`);
  rows.push('g,s');
  writeFileSync(file, rows.join('\n') + '\n');
  const r = await reclab(['inspect', `csv:${file}`, '--graph', '--json']);
  assert.equal(r.code, 0, r.err.join('\n'));
  const s = r.json?.structure as Record<string, number>;
  assert.equal(s.nodes, 7 + 7);
  assert.equal(s.edges, 19);
  assert.equal(s.components, 3);
  assert.equal(s.largestComponentShare, 6 / 14);
  assert.equal(s.communities, 3);
  assert.ok(r.out.some((l) => /^communities\s+3 \(Louvain, modularity 0\.\d{3};/.test(l)));
  const plain = await reclab(['inspect', `csv:${file}`, '--json']);
  assert.equal(plain.json?.structure, undefined, 'measured only when asked');
});
