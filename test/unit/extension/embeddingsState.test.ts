import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embeddingsStateFrom } from '../../../extension/panels/embeddingsState.js';

test('a restored embeddings panel reopens on the projection it showed', () => {
  assert.deepEqual(embeddingsStateFrom({ runDir: '/w/r', runId: 'r', method: 'umap' }), {
    runDir: '/w/r',
    runId: 'r',
    method: 'umap',
  });
});

test('state saved before projections were remembered, or with an unknown one, opens on PCA', () => {
  for (const method of [undefined, 'mds', 3]) {
    const st = embeddingsStateFrom({ runDir: '/w/r', runId: 'r', method });
    assert.equal(st.method, undefined, String(method));
  }
});

test('state that names no run is refused, so the serializer drops the panel', () => {
  assert.throws(() => embeddingsStateFrom({ runDir: '/w/r' }), /no run/);
  assert.throws(() => embeddingsStateFrom({ runId: 3, runDir: '/w/r' }), /no run/);
});

test('a restored panel keeps its UMAP settings and its selection; malformed ones are dropped', () => {
  const st = embeddingsStateFrom({
    runDir: '/w/r',
    runId: 'r',
    method: 'umap',
    params: { neighbors: 30, minDist: 0.2, sample: 'many', evil: 1 },
    selection: { kind: 'item', index: 49 },
  });
  assert.deepEqual(st.params, { neighbors: 30, minDist: 0.2 });
  assert.deepEqual(st.selection, { kind: 'item', index: 49 });
  for (const selection of [{ kind: 'movie', index: 1 }, { kind: 'user', index: -1 }, 'user 42'])
    assert.equal(
      embeddingsStateFrom({ runDir: '/w/r', runId: 'r', selection }).selection,
      undefined,
    );
  assert.equal(embeddingsStateFrom({ runDir: '/w/r', runId: 'r', params: [] }).params, undefined);
});
