/**
 * The rows a stack of message-passing layers reads: the last layer reads the layer below at the
 * batch's nodes and their neighbours, that one reads the next below at those and theirs, and so
 * on down (the receptive field, hop by hop). Models compute a layer only at these rows while
 * they are few (NGCF's layer L-1 at the paper's batch on Gowalla: 58% of the nodes).
 */
import type { Csr } from '../data/types.js';

/**
 * For hop h = 1 .. hops, the nodes within h hops of `nodes` in `adj` (ascending), stopping at
 * the first hop that reaches `limit` nodes or more: out[h - 1] for the hops listed, the rest
 * undefined. `marks` ([nRows], any contents) is scratch space a caller may reuse.
 */
export function rowsWithinHops(
  adj: Csr,
  nodes: ArrayLike<number>,
  hops: number,
  limit: number,
  marks: Uint8Array = new Uint8Array(adj.nRows),
): (Int32Array | undefined)[] {
  const out: (Int32Array | undefined)[] = new Array<undefined>(hops).fill(undefined);
  const { indptr, indices } = adj;
  let from = nodes;
  for (let h = 0; h < hops; h++) {
    marks.fill(0);
    let count = 0;
    for (let k = 0; k < from.length; k++) {
      const r = from[k];
      if (!marks[r]) count += marks[r] = 1;
      for (let p = indptr[r]; p < indptr[r + 1]; p++)
        if (!marks[indices[p]]) count += marks[indices[p]] = 1;
    }
    if (count >= limit) break;
    const rows = new Int32Array(count);
    for (let r = 0, k = 0; r < adj.nRows; r++) if (marks[r]) rows[k++] = r;
    out[h] = rows;
    from = rows;
  }
  return out;
}
