import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** Every description in the experiment schema, with its JSON path. */
function descriptions(x: unknown, path = '$', out: Array<[string, string]> = []) {
  if (typeof x !== 'object' || x === null) return out;
  for (const [k, v] of Object.entries(x)) {
    if (k === 'description' && typeof v === 'string') out.push([path, v]);
    else descriptions(v, `${path}.${k}`, out);
  }
  return out;
}

test('schema hovers keep their placeholders: no <dir> outside a code span (hovers drop it as HTML)', () => {
  const schema: unknown = JSON.parse(readFileSync('schemas/experiment.schema.json', 'utf8'));
  const all = descriptions(schema);
  assert.ok(all.length > 20);
  for (const [path, text] of all) {
    const outside = text
      .split('`')
      .filter((_, i) => i % 2 === 0)
      .join(' ');
    assert.doesNotMatch(outside, /<[a-z.-]+>/i, `${path}: ${text}`);
  }
  const dataset = all.find(([p]) => p === '$.properties.dataset')?.[1] ?? '';
  assert.match(dataset, /`lightgcn:<dir>`/);
});
