/**
 * A learnable matrix (an embedding table, a weight, a bias) kept from step to step in the
 * pool's memory, with its gradient buffer.
 *
 * Row-sparse gradients: an embedding table that a batch only gathers from gets gradient in the
 * rows it gathered; the table remembers those rows, so the optimizer can update just them
 * (sparse, lazy Adam) and clearGrad() zeroes just them. Any other use (a product with the whole
 * table, a propagation over the graph) marks the gradient dense for the step.
 *
 * Between steps the gradient buffer is all zeros, or, after a step that wrote it in full, stale:
 * clearGrad() then leaves the old values, since the next step's first dense op usually writes
 * the whole buffer anyway (claimWrite(): an SpMM's backward into an embedding table), and
 * zeroing 18 MB (Gowalla's table) every step would be wasted. Whatever adds into the buffer
 * first (touchRows, touchAll) or reads it (readyGrad) zeroes a stale buffer.
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
  /** the buffer still holds a past dense step's gradient (see the header) */
  private stale = false;

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
    this.unstale();
    const { mark, touched } = this;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      if (mark[r] === 0) {
        mark[r] = 1;
        touched[this.nTouched++] = r;
      }
    }
  }

  /** Records that the whole gradient buffer may have been added into. */
  touchAll(): void {
    this.unstale();
    this.denseStep = true;
  }

  /**
   * Claims the whole gradient buffer for an op that writes every element: true when nothing
   * was added this step (the op may write instead of add: the buffer holds zeros or stale
   * values), false when it must add (the buffer is then ready for that, as after touchAll).
   */
  claimWrite(): boolean {
    const untouched = !this.denseStep && this.nTouched === 0;
    if (untouched) {
      this.stale = false;
      this.denseStep = true;
    } else this.touchAll();
    return untouched;
  }

  /** The gradient for the optimizer: zeroed first when no op wrote it this step and it is stale. */
  readyGrad(): Float32Array {
    this.unstale();
    return this.grad;
  }

  /**
   * Ends the step's gradient: rows a sparse step wrote are zeroed, a dense step's buffer is
   * left stale (see the header); the touched rows are forgotten.
   */
  clearGrad(): void {
    const { grad, cols } = this;
    if (this.denseStep) this.stale = true;
    else
      for (let k = 0; k < this.nTouched; k++) {
        const o = this.touched[k] * cols;
        grad.fill(0, o, o + cols);
      }
    for (let k = 0; k < this.nTouched; k++) this.mark[this.touched[k]] = 0;
    this.nTouched = 0;
    this.denseStep = false;
  }

  private unstale(): void {
    if (!this.stale) return;
    this.pool.zero(this.grad);
    this.stale = false;
  }

  free(): void {
    this.pool.free(this.data);
    this.pool.free(this.grad);
  }
}
