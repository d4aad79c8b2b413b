/**
 * The generic gradient check: for an op's registered case, random inputs (seeded), the op's
 * float32 forward on the tape against its float64 reference, and the tape's backward (a
 * vector-Jacobian product with a random seed w) against central finite differences of
 * sum(w * reference(x)) in float64. Inputs are rounded to float32 first, so both sides see
 * the same numbers.
 */
import type { Pool } from '../pool.js';
import { Rng } from '../../util/rng.js';
import type { GradCase, Matrix64, OpRegistration } from './registry.js';
import { Tape } from './tape.js';
import { Tensor } from './tensor.js';

export interface GradCheckResult {
  readonly op: string;
  readonly label: string;
  /** largest |forward - reference| / (1 + max |reference|) */
  readonly forwardError: number;
  /** largest |analytic - numeric| / (1 + |numeric|) over every checked input element */
  readonly gradError: number;
  /** elements whose gradient was checked */
  readonly checked: number;
}

const H = 1e-6;

export function gradCheck<A>(
  pool: Pool,
  op: OpRegistration<A>,
  c: GradCase<A>,
  seed = 1,
): GradCheckResult {
  const rng = new Rng(seed);
  const x64: Matrix64[] = c.inputs.map((s) => {
    const data = new Float64Array(s.rows * s.cols);
    for (let k = 0; k < data.length; k++) {
      const u = rng.next();
      data[k] = Math.fround(s.positive ? 0.5 + 1.5 * u : 2 * u - 1);
    }
    return { rows: s.rows, cols: s.cols, data };
  });
  const tape = new Tape(pool);
  try {
    const inputs = x64.map((m, i) => {
      const buf = tape.buffer(m.data.length);
      buf.set(m.data);
      return new Tensor(buf, m.rows, m.cols, !c.inputs[i].constant);
    });
    const y = op.apply(tape, inputs, c.args);
    const ref = op.reference(x64, c.args);
    if (ref.rows !== y.rows || ref.cols !== y.cols)
      throw new Error(`${op.name}: forward is ${y.shape}, reference [${ref.rows} x ${ref.cols}]`);
    let refMax = 0;
    for (const v of ref.data) refMax = Math.max(refMax, Math.abs(v));
    let forwardError = 0;
    for (let k = 0; k < ref.data.length; k++)
      forwardError = Math.max(forwardError, Math.abs(y.data[k] - ref.data[k]) / (1 + refMax));
    const w = Float64Array.from({ length: y.size }, () => 2 * rng.next() - 1);
    tape.backward(y, w);
    const objective = (): number => {
      const r = op.reference(x64, c.args).data;
      let s = 0;
      for (let k = 0; k < r.length; k++) s += w[k] * r[k];
      return s;
    };
    let gradError = 0;
    let checked = 0;
    x64.forEach((m, i) => {
      if (c.inputs[i].constant) return;
      const analytic = inputs[i].grad;
      for (let k = 0; k < m.data.length; k++) {
        const x = m.data[k];
        m.data[k] = x + H;
        const up = objective();
        m.data[k] = x - H;
        const down = objective();
        m.data[k] = x;
        const numeric = (up - down) / (2 * H);
        const a = analytic ? analytic[k] : 0;
        gradError = Math.max(gradError, Math.abs(a - numeric) / (1 + Math.abs(numeric)));
        checked++;
      }
    });
    return { op: op.name, label: c.label, forwardError, gradError, checked };
  } finally {
    tape.dispose();
  }
}
