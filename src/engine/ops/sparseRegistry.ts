/**
 * tfjs kernel attributes must be plain values, so a sparse matrix travels through runKernel
 * (and the gradient tape) as a number. The registry maps it back without keeping the matrix
 * alive: it holds a WeakRef, so a graph dropped by its model is collected as usual.
 */
import type { WeightedCsr } from '../../graph/types.js';

/** A sparse operand of the propagation ops; `symmetric` spares building the transpose. */
export type SparseOperand = WeightedCsr & { readonly symmetric?: boolean };

const ids = new WeakMap<SparseOperand, number>();
const refs = new Map<number, WeakRef<SparseOperand>>();
let next = 1;

export function sparseId(m: SparseOperand): number {
  let id = ids.get(m);
  if (id === undefined) {
    for (const [k, r] of refs) if (r.deref() === undefined) refs.delete(k);
    id = next++;
    ids.set(m, id);
    refs.set(id, new WeakRef(m));
  }
  return id;
}

export function sparseById(id: number): SparseOperand {
  const m = refs.get(id)?.deref();
  if (!m)
    throw new Error(
      `sparse matrix #${id} is gone: keep the adjacency alive while its tensors are in use`,
    );
  return m;
}
