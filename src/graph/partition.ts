/**
 * Splitting rows between threads so each does the same work. The work of a row in a sparse
 * product is its non-zeros plus a small fixed cost (loop set-up, writing the output row), so
 * the split balances nnz + rowCost * rows, not rows.
 */

/**
 * Bounds b[0] = 0 <= b[1] <= ... <= b[parts] = nRows such that rows [b[t], b[t+1]) hold about
 * 1/parts of the total cost, where row r costs (indptr[r+1] - indptr[r]) + rowCost.
 * indptr has nRows + 1 entries.
 */
export function partitionByNnz(indptr: Int32Array, parts: number, rowCost = 1): Int32Array {
  checkParts(parts);
  const nRows = indptr.length - 1;
  const cost = (r: number): number => indptr[r] - indptr[0] + rowCost * r;
  const total = cost(nRows);
  const bounds = new Int32Array(parts + 1);
  bounds[parts] = nRows;
  for (let t = 1; t < parts; t++) {
    const target = (total * t) / parts;
    // first row whose prefix cost reaches the target (cost is non-decreasing)
    let lo = bounds[t - 1];
    let hi = nRows;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cost(mid) < target) lo = mid + 1;
      else hi = mid;
    }
    // the nearer of the rows either side of the target
    if (lo > bounds[t - 1] && target - cost(lo - 1) < cost(lo) - target) lo--;
    bounds[t] = lo;
  }
  return bounds;
}

/**
 * The same for a list of rows (a product restricted to rows[0 .. n)): bounds over positions
 * in the list.
 */
export function partitionListByNnz(
  indptr: Int32Array,
  rows: Int32Array,
  parts: number,
  rowCost = 1,
): Int32Array {
  checkParts(parts);
  const n = rows.length;
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++)
    prefix[k + 1] = prefix[k] + indptr[rows[k] + 1] - indptr[rows[k]] + rowCost;
  const bounds = new Int32Array(parts + 1);
  bounds[parts] = n;
  let k = 0;
  for (let t = 1; t < parts; t++) {
    const target = (prefix[n] * t) / parts;
    while (k < n && prefix[k] < target) k++;
    bounds[t] = k > bounds[t - 1] && target - prefix[k - 1] < prefix[k] - target ? k - 1 : k;
  }
  return bounds;
}

function checkParts(parts: number): void {
  if (!Number.isInteger(parts) || parts < 1)
    throw new RangeError(`parts must be a positive integer, got ${parts}`);
}
