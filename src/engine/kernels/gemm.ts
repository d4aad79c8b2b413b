/**
 * Dense products in plain JS, fallbacks of the WebAssembly gemm kernels: every C[m, n] is
 * (bias[n] or 0) + A[m, 0] B[0, n] + A[m, 1] B[1, n] + ..., in this order, rounded to float32
 * after each multiply and each add (Math.fround), as every lane of the f32x4 kernels computes
 * it, so both give the same bits. Pointers are byte offsets into the shared memory.
 */
import type { HeapViews } from './types.js';

const fround = Math.fround;

/**
 * Rows [m0, m1) of C = A B (+ bias), A(m, k) at float A/4 + m sam + k sak, B [K x N], C(m, n)
 * at float C/4 + m ldc + n.
 */
function gemmRows(
  f: Float32Array,
  a: number,
  sam: number,
  sak: number,
  b: number,
  c: number,
  K: number,
  N: number,
  m0: number,
  m1: number,
  bias: number,
  hasBias: number,
  ldc: number,
): void {
  const aw = a >>> 2;
  const bw = b >>> 2;
  const cw = c >>> 2;
  const biasw = bias >>> 2;
  for (let m = m0; m < m1; m++)
    for (let n = 0; n < N; n++) {
      let s = hasBias ? f[biasw + n] : 0;
      for (let k = 0; k < K; k++)
        s = fround(s + fround(f[aw + m * sam + k * sak] * f[bw + k * N + n]));
      f[cw + m * ldc + n] = s;
    }
}

/**
 * C = A B (+ bias) for rows [m0, m1): A [M x K] in rows of lda floats, B [K x N], C [M x N] in
 * rows of ldc floats.
 */
export function gemmJs(
  h: HeapViews,
  a: number,
  b: number,
  c: number,
  K: number,
  N: number,
  m0: number,
  m1: number,
  bias: number,
  hasBias: number,
  lda: number,
  ldc: number,
): void {
  gemmRows(h.f32, a, lda, 1, b, c, K, N, m0, m1, bias, hasBias, ldc);
}

/**
 * P[c] = A_c^T B_c for row chunks c in [c0, c1) of A [R x M] (in rows of lda floats) and
 * B [R x N] (chunk rows each, fewer in the last); P[c] is [M x N] at P + c M N floats.
 */
export function gemmTnChunksJs(
  h: HeapViews,
  a: number,
  b: number,
  p: number,
  M: number,
  N: number,
  R: number,
  chunk: number,
  c0: number,
  c1: number,
  lda: number,
): void {
  for (let c = c0; c < c1; c++) {
    const r0 = c * chunk;
    const rows = Math.min(chunk, R - r0);
    const pc = p + 4 * c * M * N;
    gemmRows(h.f32, a + 4 * r0 * lda, 1, lda, b + 4 * r0 * N, pc, rows, N, 0, M, 0, 0, N);
  }
}
