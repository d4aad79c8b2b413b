import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reclab } from './runCli.js';

/** A RecBole dataset of 40 users and 15 films with titles, in a temp folder. */
function films(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-explain-'));
  const inter = ['user_id:token\titem_id:token\trating:float\ttimestamp:float'];
  for (let u = 1; u <= 40; u++)
    for (let k = 0; k < 7; k++)
      inter.push(`${u}\t${1 + ((u * 4 + k * k) % 15)}\t4\t${u * 100 + k}`);
  writeFileSync(join(dir, 'films.inter'), `${inter.join('\n')}\n`);
  const item = ['item_id:token\tmovie_title:token_seq'];
  for (let i = 1; i <= 15; i++) item.push(`${i}\tFilm ${String.fromCharCode(64 + i)}`);
  writeFileSync(join(dir, 'films.item'), `${item.join('\n')}\n`);
  return join(dir, 'films.inter');
}

interface Explained {
  item: string;
  label?: string;
  probability: number;
  pathCount: number;
  because: { item: string; label?: string; share: number; paths: number }[];
  paths: { via: string; viaLabel?: string; user: string; probability: number }[];
}

test('recommend --explain: the items behind each recommendation by random-walk paths, with titles', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-explain-ws-'));
  // P3alpha unpruned (k above the catalogue), alpha 1: it ranks by exactly the paths' sum
  const t = await reclab([
    'train',
    '--dataset',
    `recbole:${films()}`,
    '--model',
    'p3alpha',
    '--hyper',
    'k=100',
    '--json',
    '-w',
    ws,
  ]);
  assert.equal(t.code, 0, t.err.join('\n'));
  const run = t.json?.run as string;
  const r = await reclab([
    'recommend',
    run,
    '--user',
    '3',
    '-k',
    '5',
    '--explain',
    '--json',
    '-w',
    ws,
  ]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const explain = r.json?.explain as Explained[];
  assert.deepEqual(
    explain.map((e) => e.item),
    r.json?.items,
    'one explanation per recommended item, in rank order',
  );
  for (const [k, e] of explain.entries()) {
    assert.match(e.label ?? '', /^Film [A-O]$/);
    assert.ok(e.pathCount > 0 && e.because.length > 0 && e.because.length <= 3);
    // P3alpha's ranking is the walk probability's: never increasing down the list
    if (k > 0) assert.ok(e.probability <= explain[k - 1].probability * (1 + 1e-6));
    for (const b of e.because) assert.match(b.label ?? '', /^Film /);
    assert.ok(e.because.every((b, j) => j === 0 || b.share <= e.because[j - 1].share));
    const top = e.paths[0];
    assert.ok(top.probability > 0 && top.probability <= e.probability);
    assert.match(top.viaLabel ?? '', /^Film /);
  }
  const text = r.out.join('\n');
  assert.match(text, /why, by random-walk paths/);
  assert.match(text, /^1\. Film [A-O] \(\d+\): \d+ paths, walk probability /m);
  assert.match(text, /^ {3}because you liked Film [A-O] \(\d+%( of paths)?\)/m);
  assert.match(text, /^ {3}you -> Film [A-O] \(\d+\) -> user \d+ -> Film [A-O]: /m);
});
