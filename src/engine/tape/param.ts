/**
 * A learnable matrix (an embedding table, a weight, a bias) kept from step to step in the
 * pool's memory, with its gradient buffer.
 *
 * Row-sparse gradients: an embedding table that a batch only gathers from gets gradient in the
 * rows it gathered; the table remembers those rows, so the optimizer can update just them
 * (sparse, lazy Adam) and clearGrad() zeroes just them. Any other use (a product with the whole
 * table, a propagation over the graph) marks the gradient dense for the step.
 *
 * Between steps the gradient buffer is all zeros: clearGrad() restores that after the update,
 * touching only the rows that were written.
 */
import type { Pool } from '../pool.js';

export class Param {
  readonly data: Float32Array;
  readonly grad: Float32Array;
  /** rows the step's gathers wrote gradient into, in first-touch order */
  private readonly touched: Int32Array;
  private readonly mark: Uint8Array;
  private nTouched = 0;
  private denseStep = false;

  constructor(
    private readonly pool: Pool,
    readonly name: string,
    readonly rows: number,
    readonly cols: number,
  ) {
    if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0))
      throw new RangeError(`parameter ${name}: shape ${rows} x ${cols} must be positive integers`);
    this.data = pool.allocF32(rows * cols);
    this.grad = pool.allocF32(rows * cols);
    this.touched = new Int32Array(rows);
    this.mark = new Uint8Array(rows);
  }

  get size(): number {
    return this.rows * this.cols;
  }

  /** Whether this step's gradient may be non-zero outside the touched rows. */
  get dense(): boolean {
    return this.denseStep;
  }

  /** Whether nothing was written into the gradient since it was cleared (it is all zeros). */
  get clean(): boolean {
    return !this.denseStep && this.nTouched === 0;
  }

  /** The rows with gradient this step (meaningful when !dense). */
  touchedRows(): Int32Array {
    return this.touched.subarray(0, this.nTouched);
  }

  /** Records that gradient was added to these rows (gather's backward). */
  touchRows(rows: Int32Array): void {
    const { mark, touched } = this;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      if (mark[r] === 0) {
        mark[r] = 1;
        touched[this.nTouched++] = r;
      }
    }
  }

  /** Records that the whole gradient buffer may have been written. */
  touchAll(): void {
    this.denseStep = true;
  }

  /** Zeroes what this step wrote into the gradient, and forgets the touched rows. */
  clearGrad(): void {
    const { grad, cols } = this;
    if (this.denseStep) this.pool.zero(grad);
    else
      for (let k = 0; k < this.nTouched; k++) {
        const o = this.touched[k] * cols;
        grad.fill(0, o, o + cols);
      }
    for (let k = 0; k < this.nTouched; k++) this.mark[this.touched[k]] = 0;
    this.nTouched = 0;
    this.denseStep = false;
  }

  free(): void {
    this.pool.free(this.data);
    this.pool.free(this.grad);
  }
}
