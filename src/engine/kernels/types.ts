/**
 * The kernel set every pool thread runs: the same functions over one shared linear memory,
 * implemented twice (WebAssembly SIMD and plain JS) with identical results bit for bit.
 * Every pointer is a byte offset into that memory; see ../wasm/kernels.wat for the contracts.
 */
export type KernelKind = 'wasm-simd' | 'js';

export interface Kernels {
  readonly kind: KernelKind;
  /** Y[i] = (A X)[i] for rows i in [r0, r1) */
  spmm(
    rowPtr: number,
    col: number,
    val: number,
    x: number,
    y: number,
    dim: number,
    r0: number,
    r1: number,
  ): void;
  /** Y[k] = (A X)[rows[k]] for k in [k0, k1) */
  spmmRows(
    rowPtr: number,
    col: number,
    val: number,
    x: number,
    y: number,
    dim: number,
    rows: number,
    k0: number,
    k1: number,
  ): void;
  /** OUT += A[rows[k0..k1)]^T DY[k0..k1), in order, for the output rows (columns) in [c0, c1) */
  scatterRows(
    rowPtr: number,
    col: number,
    val: number,
    dy: number,
    out: number,
    dim: number,
    rows: number,
    k0: number,
    k1: number,
    c0: number,
    c1: number,
  ): void;
  /** scores of 4 users (rows ldu bytes apart) against np (even) item panels, rows lds bytes apart */
  score(u: number, ldu: number, p: number, np: number, dim: number, s: number, lds: number): void;
  /** running top-k over scores S[0..n) of items base.., state vals/idx (k each) and *cnt */
  topk(s: number, n: number, base: number, k: number, vals: number, idx: number, cnt: number): void;
  /**
   * Dense Adam over elements [i0, i1) of P (parameters), G (gradient), M, V (moments), in
   * place; the float32 constants of the step as adamConstants (./adam.ts) computes them
   */
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    i0: number,
    i1: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    stepSize: number,
    sqrtC2: number,
    eps: number,
  ): void;
  /** X[i] = [A[i] + B[i] | A[i] * B[i]] ([A[i] | ...] when addB is 0) for rows [r0, r1) */
  sumProd(a: number, b: number, x: number, dim: number, r0: number, r1: number, addB: number): void;
  /**
   * OUT[dst] (+)= dSum[i] + dProd[i] * A[i] for rows [r0, r1) of DX = [dSum | dProd]: flags
   * bit 0, dst = ROWS[i] (else i); bit 1, accumulate into OUT (else overwrite); bit 2, no dSum
   */
  sumProdBack(
    dx: number,
    a: number,
    out: number,
    rows: number,
    dim: number,
    r0: number,
    r1: number,
    flags: number,
  ): void;
  /** Y = (X > 0 ? X : slope X) * M over elements [i0, i1), M only when hasMask is not 0 */
  leakyRelu(
    x: number,
    m: number,
    y: number,
    i0: number,
    i1: number,
    slope: number,
    hasMask: number,
  ): void;
  /** G = (DY * M) * (X > 0 ? 1 : slope) over elements [i0, i1), M only when hasMask */
  leakyReluBack(
    dy: number,
    m: number,
    x: number,
    g: number,
    i0: number,
    i1: number,
    slope: number,
    hasMask: number,
  ): void;
  /**
   * M[k] = (16 bits of a hash of k and the seeds s0, s1) < below ? scale : 0 over [i0, i1)
   * (see layerOps.ts for the hash): a dropout mask that any split of the range reproduces
   */
  dropoutMask(
    m: number,
    i0: number,
    i1: number,
    s0: number,
    s1: number,
    below: number,
    scale: number,
  ): void;
  /** Y[k * ldy + c] = X[ROWS[k] * dim + c] for k in [k0, k1) */
  gatherRows(
    x: number,
    rows: number,
    y: number,
    dim: number,
    ldy: number,
    k0: number,
    k1: number,
  ): void;
  /** Y[i * ldy + c] = X[i] / sqrt(max(|X[i]|^2, eps)) for rows [r0, r1) */
  normalizeRows(
    x: number,
    y: number,
    dim: number,
    ldy: number,
    r0: number,
    r1: number,
    eps: number,
  ): void;
  /** the gradient of normalizeRows from DY (ldy apart) into OUT[dst] (flags as sumProdBack) */
  normalizeRowsBack(
    x: number,
    dy: number,
    ldy: number,
    out: number,
    rows: number,
    dim: number,
    r0: number,
    r1: number,
    eps: number,
    flags: number,
  ): void;
  /** XP = X m (dropoutMask's m), Y = normalizeRows(XP), rows [r0, r1) (dropNormalize.ts) */
  dropNormalize(
    x: number,
    xp: number,
    y: number,
    dim: number,
    r0: number,
    r1: number,
    s0: number,
    s1: number,
    below: number,
    scale: number,
    eps: number,
    scratch: number,
  ): void;
  /** OUT (+)= normalizeRowsBack(XP, DY) m, rows [r0, r1) (flags bit 1: added) */
  dropNormalizeBack(
    xp: number,
    dy: number,
    out: number,
    dim: number,
    r0: number,
    r1: number,
    s0: number,
    s1: number,
    below: number,
    scale: number,
    eps: number,
    scratch: number,
    flags: number,
  ): void;
  /** Y[i] = squash(X[i]) = X[i] |X[i]| / (1 + |X[i]|^2) for rows [r0, r1) (VRKG4Rec's NORM) */
  squash(x: number, y: number, dim: number, r0: number, r1: number): void;
  /** the gradient of squash from DY into OUT (flags bit 1: added there), rows [r0, r1) */
  squashBack(
    x: number,
    dy: number,
    out: number,
    dim: number,
    r0: number,
    r1: number,
    flags: number,
  ): void;
  /** G[r] (+)= w_r X[r] in float64, rounded once (see scaleRows.ts), rows [r0, r1) of d */
  scaleRows(
    x: number,
    w: number,
    g: number,
    d: number,
    r0: number,
    r1: number,
    wlo: number,
    whi: number,
    flags: number,
  ): void;
  /** local weighted smoothing fused per row, rows [r0, r1) (see lws.ts for the arguments) */
  lwsForward(
    rowPtr: number,
    other: number,
    w: number,
    x: number,
    res: number,
    out: number,
    saved: number,
    usaved: number,
    edges: number,
    dim: number,
    Q: number,
    flags: number,
    r0: number,
    r1: number,
  ): void;
  /** the gradient of lwsForward, rows [r0, r1) (see lws.ts) */
  lwsBackward(
    rowPtr: number,
    other: number,
    w: number,
    x: number,
    saved: number,
    usaved: number,
    edges: number,
    g: number,
    dw: number,
    dres: number,
    mg: number,
    dc: number,
    es: number,
    dim: number,
    Q: number,
    flags: number,
    scratch: number,
    r0: number,
    r1: number,
  ): void;
  /** C = A B (+ bias) for rows [m0, m1): A [M x K] in rows of lda, B [K x N], C [M x N] in rows of ldc */
  gemm(
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
  ): void;
  /** P[c] = A_c^T B_c for row chunks [c0, c1) of A [R x M] (in rows of lda) and B [R x N] */
  gemmTnChunks(
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
  ): void;
  /**
   * OUT[r, j] (+)= sum over row r's entries p of W[edge(p), head(j)] X[other[p], j] for rows
   * [r0, r1): H heads of C / H columns; flags bit 0, edge(p) = EDGEAT[p] (else p); bit 1, add
   * into OUT (see message.ts)
   */
  edgeSpmm(
    rowPtr: number,
    other: number,
    edgeAt: number,
    w: number,
    H: number,
    x: number,
    C: number,
    out: number,
    r0: number,
    r1: number,
    flags: number,
  ): void;
  /** E[k, h] (+)= <X[v, head h], Y[col[k], head h]> for the edges of rows v in [r0, r1) */
  edgeDots(
    rowPtr: number,
    col: number,
    x: number,
    y: number,
    H: number,
    C: number,
    e: number,
    r0: number,
    r1: number,
    add: number,
  ): void;
  /** E[k, h] = D[v, h] + S[col[k], h] for the edges of rows v in [r0, r1) */
  edgeAdd(
    rowPtr: number,
    col: number,
    d: number,
    s: number,
    H: number,
    e: number,
    r0: number,
    r1: number,
  ): void;
  /** A = softmax of E over each row's edges, per head, for rows [r0, r1) */
  edgeSoftmax(rowPtr: number, e: number, a: number, H: number, r0: number, r1: number): void;
  /** DE (+)= A (DA - sum over the row of A DA) for rows [r0, r1); flags bit 1 adds */
  edgeSoftmaxBack(
    rowPtr: number,
    a: number,
    da: number,
    de: number,
    H: number,
    r0: number,
    r1: number,
    flags: number,
  ): void;
  /** Z[r, c] (+)= A[r, c] op B[r rs + c cs] for rows [r0, r1): op 0 add, 1 sub, 2 mul */
  ewBinary(
    a: number,
    b: number,
    z: number,
    cols: number,
    rs: number,
    cs: number,
    op: number,
    r0: number,
    r1: number,
    acc: number,
  ): void;
  /** G (+)= the sums of DZ * A (or DZ, -DZ) over a broadcast B's elements (see elementwise.ts) */
  ewGradB(
    dz: number,
    a: number,
    g: number,
    R: number,
    cols: number,
    cs: number,
    op: number,
    i0: number,
    i1: number,
    acc: number,
  ): void;
  /** E = exp(X - the row's max), S = (max, sum of E) per row, for rows [r0, r1) of C columns */
  softmaxXent(x: number, e: number, s: number, C: number, r0: number, r1: number): void;
  /** DX (+)= E g / z - (target column ? g : 0) for rows [r0, r1); acc 1 adds */
  softmaxXentBack(
    e: number,
    s: number,
    t: number,
    dx: number,
    C: number,
    g: number,
    r0: number,
    r1: number,
    acc: number,
  ): void;
  /** D = S^T for rows [r0, r1) of S [R x C] */
  transpose(s: number, d: number, R: number, C: number, r0: number, r1: number): void;
  /**
   * word2vec's skip-gram update with negative sampling over walks [k0, k1) of a block, in
   * place on the INPUT and OUTPUT tables; the pairs' loss and count into LOSS (2 float64).
   * See sgns.ts for the arguments.
   */
  sgns(
    walks: number,
    length: number,
    k0: number,
    k1: number,
    window: number,
    input: number,
    output: number,
    dim: number,
    table: number,
    tableSize: number,
    negatives: number,
    seed: number,
    pos0: number,
    lrStart: number,
    lrStep: number,
    lrMin: number,
    tables: number,
    scratch: number,
    loss: number,
  ): void;
}

/** Float and int views over the whole shared memory, indexed by byte offset >> 2. */
export interface HeapViews {
  readonly f32: Float32Array;
  readonly i32: Int32Array;
}
