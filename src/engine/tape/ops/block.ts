/**
 * A block: the neighbour lists that one message-passing layer reads (a Csr whose row r lists
 * the rows of the input x that row r of the output aggregates). GraphSAGE's minibatch layer k
 * (Algorithm 2) has one row per node of B^k and columns in B^(k-1); the full graph is the
 * block of every node. Shared by the neighbour aggregation ops and their gradient checks.
 */
import type { Csr } from '../../../data/types.js';
import type { Matrix64 } from '../registry.js';
import type { Tensor } from '../tensor.js';

/** Throws a RangeError naming the op when the block does not index x's rows. */
export function checkBlock(op: string, block: Csr, x: Tensor): void {
  const { nRows, nCols, indptr, indices } = block;
  if (nCols !== x.rows)
    throw new RangeError(`${op}: a block over ${nCols} rows applied to ${x.shape}`);
  if (indptr.length !== nRows + 1 || indptr[0] !== 0 || indptr[nRows] > indices.length)
    throw new RangeError(`${op}: block indptr of ${indptr.length} for ${nRows} rows`);
  for (let e = 0; e < indptr[nRows]; e++)
    if (!(indices[e] >= 0 && indices[e] < nCols))
      throw new RangeError(`${op}: block entry ${indices[e]} outside [0, ${nCols})`);
}

/**
 * Row r's reduction in float64 over x's rows listed in the block (an empty row gives zeros):
 * what the references of the aggregation ops compute.
 */
export function referenceReduce(
  block: Csr,
  x: Matrix64,
  reduce: (values: number[]) => number,
): Matrix64 {
  const d = x.cols;
  const out = { rows: block.nRows, cols: d, data: new Float64Array(block.nRows * d) };
  for (let r = 0; r < block.nRows; r++) {
    const lo = block.indptr[r];
    const hi = block.indptr[r + 1];
    if (hi === lo) continue;
    for (let c = 0; c < d; c++) {
      const values: number[] = [];
      for (let e = lo; e < hi; e++) values.push(x.data[block.indices[e] * d + c]);
      out.data[r * d + c] = reduce(values);
    }
  }
  return out;
}

/**
 * The gradient check's block: 4 output rows over 5 input rows, with an empty row (zeros, no
 * gradient), a single neighbour, input row 3 shared by three rows and input row 2 read by none.
 */
export const CHECK_BLOCK: Csr = {
  nRows: 4,
  nCols: 5,
  indptr: Int32Array.from([0, 3, 3, 4, 7]),
  indices: Int32Array.from([0, 3, 4, 3, 1, 3, 0]),
};
