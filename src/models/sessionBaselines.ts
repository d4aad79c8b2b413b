/**
 * Next-item baselines for sessions and sequences (eval/nextItem.ts's scorers), built from the
 * training sequences only:
 *  - popularity: every item by its count of training events, whatever the input;
 *  - session item-kNN (the IKNN of Hidasi et al. 2016, section 4.1 and Ludewig & Jannach 2018):
 *    items ranked by their similarity to the input's last item, the cosine of the session
 *    co-occurrence counts (graph/itemCooccurrence.ts with r = 0.5: C[i, j] / sqrt(d_i d_j)),
 *    top `k` neighbours kept; items that never co-occur with it follow, by popularity. The
 *    last item itself scores 0 (no self-similarity) unless `repeatLast` ranks it first: on
 *    view logs a large share of next events repeat the item just viewed.
 */
import type { Sequences } from '../data/sequences.js';
import type { NextItemScorer } from '../eval/nextItem.js';
import { normalizedItemGraph } from '../graph/itemCooccurrence.js';

function eventCounts(train: Sequences, nItems: number): Float32Array {
  const counts = new Float32Array(nItems);
  for (const i of train.items) counts[i]++;
  return counts;
}

export function popularityScorer(train: Sequences, nItems: number): NextItemScorer {
  const counts = eventCounts(train, nItems);
  return {
    nItems,
    scoreNext(_inputs, from, to, out) {
      for (let r = 0; r < to - from; r++) out.set(counts, r * nItems);
    },
  };
}

export function sessionItemKnnScorer(
  train: Sequences,
  nItems: number,
  k = 100,
  repeatLast = false,
): NextItemScorer {
  const groups = {
    nRows: train.offsets.length - 1,
    nCols: nItems,
    indptr: train.offsets,
    indices: train.items,
  };
  const g = normalizedItemGraph(groups, { r: 0.5, k });
  const counts = eventCounts(train, nItems);
  let top = 1;
  for (const c of counts) top = Math.max(top, c);
  // popularity in [0, 1), below every neighbour's 1 + similarity
  const fallback = counts.map((c) => c / (top + 1));
  return {
    nItems,
    scoreNext(inputs, from, to, out) {
      for (let r = from; r < to; r++) {
        const at = (r - from) * nItems;
        out.set(fallback, at);
        const end = inputs.offsets[r + 1];
        if (end === inputs.offsets[r]) continue;
        const last = inputs.items[end - 1];
        for (let p = g.indptr[last]; p < g.indptr[last + 1]; p++)
          out[at + g.indices[p]] = 1 + g.values[p];
        if (repeatLast) out[at + last] = 3;
      }
    },
  };
}
