/**
 * Every differentiable op registers here by name, with a float64 reference of its forward
 * pass and the cases the generic gradient check runs (./gradcheck.ts, over every registration:
 * a new op is checked as soon as it is registered, no per-model derivation).
 * The tfjs kernel-per-file shape: one file per op under ./ops, imported by ./ops/index.ts.
 */
import type { Tape } from './tape.js';
import type { Tensor } from './tensor.js';

/** A float64 matrix, row-major: what references compute in. */
export interface Matrix64 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export interface InputSpec {
  readonly rows: number;
  readonly cols: number;
  /** draw values in (0.5, 2) instead of (-1, 1): for log, and divisors */
  readonly positive?: boolean;
  /** no gradient is checked for this input (e.g. labels) */
  readonly constant?: boolean;
}

export interface GradCase<A> {
  readonly label: string;
  readonly inputs: readonly InputSpec[];
  /** the op's non-tensor arguments: indices, a graph, constants */
  readonly args: A;
}

export interface OpRegistration<A> {
  readonly name: string;
  /** the op on the tape, as models call it */
  apply(t: Tape, inputs: readonly Tensor[], args: A): Tensor;
  /** the same function, spelled out in float64 loops */
  reference(inputs: readonly Matrix64[], args: A): Matrix64;
  readonly cases: readonly GradCase<A>[];
}

const ops = new Map<string, OpRegistration<unknown>>();

export function registerOp<A>(op: OpRegistration<A>): void {
  if (ops.has(op.name)) throw new Error(`op ${op.name} is registered twice`);
  if (op.cases.length === 0) throw new Error(`op ${op.name} registers no gradient-check case`);
  ops.set(op.name, op as unknown as OpRegistration<unknown>);
}

export function registeredOps(): OpRegistration<unknown>[] {
  return [...ops.values()];
}

export function matrix64(rows: number, cols: number): Matrix64 {
  return { rows, cols, data: new Float64Array(rows * cols) };
}
