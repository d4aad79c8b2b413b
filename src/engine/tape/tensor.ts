/**
 * A value on the tape: a row-major [rows x cols] float32 matrix in the pool's shared memory
 * (scalars are [1 x 1], per-edge values [nnz x heads]), with the gradient the tape gives it.
 */
import type { Param } from './param.js';

export class Tensor {
  /**
   * dLoss/dThis once backward() reached it: an arena buffer for intermediate values, the
   * parameter's own gradient buffer for parameters (see Param).
   */
  grad: Float32Array | undefined;

  constructor(
    readonly data: Float32Array,
    readonly rows: number,
    readonly cols: number,
    /** whether a gradient flows back into this value (a parameter, or made from one) */
    readonly requiresGrad: boolean,
    /** the parameter this value reads, for leaves made by tape.param() */
    readonly param?: Param,
  ) {
    if (data.length !== rows * cols)
      throw new RangeError(`tensor data has ${data.length} floats, not ${rows} x ${cols}`);
  }

  get size(): number {
    return this.rows * this.cols;
  }

  /** "[rows x cols]", for error messages */
  get shape(): string {
    return `[${this.rows} x ${this.cols}]`;
  }

  /** The single value of a [1 x 1] tensor (a loss). */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item() of a ${this.shape} tensor`);
    return this.data[0];
  }
}
