/**
 * VRKG4Rec. Lu et al., "VRKG4Rec: Virtual Relational Knowledge Graph for Recommendation",
 * WSDM 2023: the KG's relations grouped into K virtual relations, the KG split into K
 * sub-graphs by them, each entity smoothed over each sub-graph by local weighted smoothing
 * (LWS), the K encodings fused by attention; users smoothed over the items they interacted with.
 *
 *   virtual relations (sec. 3.1): K centres v_k; original relation r_p (both directions of each
 *                KG relation, as the authors' code adds inverse triples) goes to
 *                a(p) = argmax_k r_p^T v_k; sub-graph k holds the edges whose relation it got
 *   LWS (eq. 5-6): pi(h, t) = u_h^T e_t,  u_h <- NORM(e_h + sum_t pi(h, t) e_t), Q times from
 *                u_h = e_h, only the centre updated (the neighbours e_t stay the layer's input);
 *                NORM(u) = (|u|^2 / (1 + |u|^2)) u / |u| (the squash op)
 *   items (eq. 7-8): e_h^(l) = sum_k alpha_k^(l) u_h^(k), alpha^(l) = softmax(w^(l)), one learned
 *                weight per virtual relation and layer (the authors' code)
 *   users (eq. 9): LWS over the user-item graph, centre e_u, neighbours the items' e_i^(l-1)
 *   output (eq. 10): e = sum_{l=0..L} e^(l);  score y_ui = e_u^T e_i
 *   loss (eq. 11): BPR + reg/2 |Theta|^2 / batch, Theta every parameter the step reads
 *
 * How the assignment learns. argmax has no gradient: in the authors' code V and the relation
 * embeddings r_p get none (torch.argmax in GraphConv.forward), so the assignment stays the one
 * their random initialisation gives (assignment "frozen" here). With assignment "learned" (the
 * default) each edge's messages are weighted by its relation's confidence
 * c_p = softmax_k(r_p^T v_k / temperature)[a(p)] (temperature 0.2: the unused `temperature` of
 * the authors' GraphConv), so the loss reaches r_p and V through c_p, and a(p) is recomputed
 * from them at the start of every epoch (the sub-graphs rebuilt when it changed).
 *
 * Two propagations. `paper` is the equations above. `authors` (the default) is what the
 * authors' code computes (lulu0913/VRKG4Rec, modules/VRKG.py), which is what their published
 * figures come from:
 *   LWS:     m^(q) = mean over h's edges of c_q e_t, u^(q) = [q < Q-1: NORM](m^(q)) + e_h, with
 *            c_0 = 1 and c_q = c_{q-1}^2 (u^(q-1)_h . e_t) on the KG (their neighbour messages
 *            are rescaled in place, so the factors compound), c_q = u^(q-1)_u . e_i for users;
 *            the residual + e_h after every iteration and no NORM after the last
 *   layers:  each layer's output message-dropped (0.1) and L2-normalised (F.normalize), and
 *            e = e^(0) + sum_l e^(l); the fusion logits start at (0.4, 0.3, 0.3)
 *   training: node dropout, half the KG edges dropped at every step; the L2 term over the
 *            batch's final vectors; users and entities Xavier-uniform as one [users + entities]
 *            table
 * A node without edges in sub-graph k keeps e_h there, so entity h's fused encoding is
 * e_h + sum_k alpha_k m_k(h): only the rows (k, h) with edges are computed (15,872 of 3 x 9,366
 * on lastfm-kg), and node dropout builds each step's graph from the kept edges alone.
 *
 * A training step with the authors' propagation computes each layer at the rows it needs
 * alone: the last at the batch's items, each one below at the entities the layers above read
 * (theirs, their KG sources in the step's KG, the batch users' items), every layer's users at
 * the batch's users (no one aggregates from a user). Row by row the same function as the full
 * pass (the message dropout masks are drawn over the rows computed); ranking runs every layer
 * in full.
 */
import type { Csr, KnowledgeGraph } from '../data/types.js';
import type { Pool } from '../engine/pool.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  add,
  concatRows,
  dropNormalize,
  gather,
  gatherSum,
  lwsSmooth,
  matmulNT,
  mul,
  normalizeRows,
  sddmmDot,
  softmaxBlockSum,
  softmaxPick,
  spmmEdge,
  squash,
  type MessageGraph,
} from '../engine/tape/ops/index.js';
import { releaseGraph } from '../engine/tape/ops/messageGraph.js';
import { xavierUniform } from '../engine/tape/init.js';
import { Rng } from '../util/rng.js';
import { InputError } from '../util/errors.js';
import type { HyperDeclarations } from './hyperparameters.js';
import {
  TapeModel,
  TAPE_MODEL_DEFAULTS,
  TAPE_MODEL_HYPER,
  type BatchVectors,
  type PairBatch,
} from './tapeModel.js';
import type { ModelContext, ModelReport } from './types.js';

export const VRKG4REC_TITLE = 'VRKG4Rec (virtual relational KG, local weighted smoothing)';
export const VRKG4REC_PAPER =
  'Lu et al., VRKG4Rec: Virtual Relational Knowledge Graph for Recommendation, WSDM 2023';

export const VRKG4REC_ASSIGNMENTS = ['learned', 'frozen'] as const;
export const VRKG4REC_PROPAGATIONS = ['paper', 'authors'] as const;

/**
 * The authors' batch 1024 and l2 1e-5; lr 0.001 (theirs 1e-4 over 400 epochs): with the
 * authors' propagation and assignment frozen, validation Recall@20 on a tenth of lastfm-kg's
 * train.txt rises to 0.36 by epoch 120 and stays there to 200 (`npm run bench -- kg-lastfm
 * --models vrkg4rec --valid 0.1`; lr 0.005 was chosen for the paper propagation's 30 epochs).
 */
export const VRKG4REC_DEFAULTS = {
  ...TAPE_MODEL_DEFAULTS,
  lr: 0.001,
  reg: 1e-5,
  batchSize: 1024,
  layers: 2,
  virtualRelations: 3,
  lwsIterations: 3,
  assignment: 'learned' as string,
  temperature: 0.2,
  propagation: 'authors' as string,
  nodeDropout: 0.5,
  messageDropout: 0.1,
};

export type Vrkg4RecHyper = typeof VRKG4REC_DEFAULTS;

export const VRKG4REC_HYPER = {
  ...TAPE_MODEL_HYPER,
  layers: {
    type: 'integer',
    min: 0,
    description: 'propagation layers L (0: the ego embeddings alone)',
    source: "2: the authors' Last.FM command (--context_hops 2)",
  },
  virtualRelations: {
    type: 'integer',
    min: 1,
    description: 'virtual relations K the KG relations are grouped into',
    source: "3: the paper's setting and the authors' --n_virtual",
  },
  lwsIterations: {
    type: 'integer',
    min: 1,
    description: 'local weighted smoothing iterations Q per layer',
    source: "3: the authors' --n_iter",
  },
  assignment: {
    type: 'enum',
    choices: VRKG4REC_ASSIGNMENTS,
    description:
      'learned: edges weighted by their relation assignment confidence, so the centres learn; frozen: the initial argmax, as the authors code (no gradient through argmax)',
    source: 'see src/models/vrkg4rec.ts',
  },
  temperature: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'softmax temperature of the assignment confidence (assignment learned)',
    source: "0.2: the authors' GraphConv.temperature",
  },
  propagation: {
    type: 'enum',
    choices: VRKG4REC_PROPAGATIONS,
    description:
      "authors: their code's LWS (mean messages, compounding weights, residuals, normalised layers, dropouts, Xavier init, L2 on the batch's vectors); paper: the paper's equations (L2 on every parameter read)",
    source: 'see src/models/vrkg4rec.ts',
  },
  nodeDropout: {
    type: 'number',
    min: 0,
    max: 1,
    exclusiveMax: true,
    description: 'share of the KG edges dropped at each training step (propagation authors)',
    source: "0.5: the authors' --node_dropout_rate",
  },
  messageDropout: {
    type: 'number',
    min: 0,
    max: 1,
    exclusiveMax: true,
    description: "dropout on each layer's output while training (propagation authors)",
    source: "0.1: the authors' --mess_dropout_rate",
  },
} as const satisfies HyperDeclarations<Vrkg4RecHyper>;

/** The KG as directed edges into heads, both directions of every distinct triple. */
export interface KgEdges {
  /** entity rows: the KG's entities, then one per item without an entity */
  readonly nEntities: number;
  /** original relations: the KG's R, then their inverses (R + r) */
  readonly nRelations: number;
  readonly dst: Int32Array;
  readonly src: Int32Array;
  readonly rel: Int32Array;
  readonly relationNames: readonly string[];
  /** item -> its entity row */
  readonly itemEntity: Int32Array;
}

/** Distinct triples (h, r, t) as edges t -> h of relation r and h -> t of relation R + r. */
export function kgEdges(kg: KnowledgeGraph, nItems: number): KgEdges {
  const R = kg.nRelations;
  const seen = new Set<string>();
  const dst: number[] = [];
  const src: number[] = [];
  const rel: number[] = [];
  for (let k = 0; k < kg.heads.length; k++) {
    const h = kg.heads[k];
    const r = kg.relations[k];
    const t = kg.tails[k];
    const key = `${h} ${r} ${t}`;
    if (seen.has(key)) continue;
    seen.add(key);
    dst.push(h, t);
    src.push(t, h);
    rel.push(r, R + r);
  }
  let extra = kg.nEntities;
  const itemEntity = Int32Array.from({ length: nItems }, (_, i) => {
    const e = i < kg.itemEntity.length ? kg.itemEntity[i] : -1;
    return e >= 0 ? e : extra++;
  });
  const name = (r: number): string => kg.relationIds?.ids[r] ?? String(r);
  const relationNames = [
    ...Array.from({ length: R }, (_, r) => name(r)),
    ...Array.from({ length: R }, (_, r) => `${name(r)}^-1`),
  ];
  return {
    nEntities: extra,
    nRelations: 2 * R,
    dst: Int32Array.from(dst),
    src: Int32Array.from(src),
    rel: Int32Array.from(rel),
    relationNames,
    itemEntity,
  };
}

/** Users -> the entity rows of their distinct training items (a pair listed twice counts once). */
export function userEntityGraph(ui: Csr, e: KgEdges): MessageGraph {
  const indptr = new Int32Array(ui.nRows + 1);
  const indices: number[] = [];
  for (let u = 0; u < ui.nRows; u++) {
    const seen = new Set<number>();
    for (let k = ui.indptr[u]; k < ui.indptr[u + 1]; k++) seen.add(e.itemEntity[ui.indices[k]]);
    indices.push(...seen);
    indptr[u + 1] = indices.length;
  }
  return { nRows: ui.nRows, nCols: e.nEntities, indptr, indices: Int32Array.from(indices) };
}

/** a(p) = argmax_k r_p^T v_k for each row p of R [P x d] against V [K x d] (first on ties). */
export function assignRelations(
  R: Float32Array,
  V: Float32Array,
  d: number,
  K: number,
): Int32Array {
  const P = R.length / d;
  const out = new Int32Array(P);
  for (let p = 0; p < P; p++) {
    let best = -Infinity;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += R[p * d + c] * V[k * d + c];
      if (s > best) {
        best = s;
        out[p] = k;
      }
    }
  }
  return out;
}

/** The K sub-graphs as one graph: destination k*N + h lists h's sources in sub-graph k. */
export interface VirtualGraph {
  readonly graph: MessageGraph;
  /** each edge's original relation, in the graph's CSR order */
  readonly edgeRel: Int32Array;
}

export function virtualGraph(e: KgEdges, assign: Int32Array, K: number): VirtualGraph {
  const N = e.nEntities;
  const n = e.dst.length;
  const rowOf = (k: number): number => assign[e.rel[k]] * N + e.dst[k];
  const indptr = new Int32Array(K * N + 1);
  for (let k = 0; k < n; k++) indptr[rowOf(k) + 1]++;
  for (let r = 0; r < K * N; r++) indptr[r + 1] += indptr[r];
  const fill = indptr.slice(0, K * N);
  const indices = new Int32Array(n);
  const edgeRel = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const at = fill[rowOf(k)]++;
    indices[at] = e.src[k];
    edgeRel[at] = e.rel[k];
  }
  return { graph: { nRows: K * N, nCols: N, indptr, indices }, edgeRel };
}

/**
 * Q steps of local weighted smoothing on graph g (destinations = centres, sources = nbr rows):
 * u <- NORM(centre + sum_t (u^T nbr_t) w_t nbr_t) from u = centre; w the edges' confidences.
 */
export function lws(
  t: Tape,
  g: MessageGraph,
  centre: Tensor,
  nbr: Tensor,
  iterations: number,
  edgeWeight?: Tensor,
): Tensor {
  let u = centre;
  for (let q = 0; q < iterations; q++) {
    const pi = sddmmDot(t, g, u, nbr, 1);
    const w = edgeWeight ? mul(t, pi, edgeWeight) : pi;
    u = squash(t, add(t, centre, spmmEdge(t, g, w, nbr)));
  }
  return u;
}

/**
 * The K sub-graphs with only the rows that have edges: row r is entity rowHead[r] in sub-graph
 * rowVirtual[r] (rows by sub-graph, then entity; each row's edges in virtualGraph's order), and
 * `fusion` the graph that adds them back: entity h <- its rows r, one edge each (by sub-graph).
 */
export interface CompactVirtualGraph extends VirtualGraph {
  readonly rowHead: Int32Array;
  readonly rowVirtual: Int32Array;
  readonly fusion: MessageGraph;
  /** each fusion edge's sub-graph, in the fusion graph's CSR order */
  readonly fusionVirtual: Int32Array;
}

export function compactVirtualGraph(
  e: KgEdges,
  assign: Int32Array,
  K: number,
): CompactVirtualGraph {
  const full = virtualGraph(e, assign, K);
  const N = e.nEntities;
  const { indptr } = full.graph;
  const kept: number[] = [];
  for (let r = 0; r < K * N; r++) if (indptr[r + 1] > indptr[r]) kept.push(r);
  const R = kept.length;
  const rowHead = Int32Array.from(kept, (r) => r % N);
  const rowVirtual = Int32Array.from(kept, (r) => Math.floor(r / N));
  const compact = new Int32Array(R + 1);
  kept.forEach((r, i) => (compact[i + 1] = compact[i] + indptr[r + 1] - indptr[r]));
  const fusePtr = new Int32Array(N + 1);
  for (const h of rowHead) fusePtr[h + 1]++;
  for (let h = 0; h < N; h++) fusePtr[h + 1] += fusePtr[h];
  const fill = fusePtr.slice(0, N);
  const fuseRows = new Int32Array(R);
  const fusionVirtual = new Int32Array(R);
  // rows come by sub-graph, so each entity's fusion edges do too
  for (let r = 0; r < R; r++) {
    const at = fill[rowHead[r]]++;
    fuseRows[at] = r;
    fusionVirtual[at] = rowVirtual[r];
  }
  return {
    graph: { nRows: R, nCols: N, indptr: compact, indices: full.graph.indices },
    edgeRel: full.edgeRel,
    rowHead,
    rowVirtual,
    fusion: { nRows: N, nCols: R, indptr: fusePtr, indices: fuseRows },
    fusionVirtual,
  };
}

/**
 * Local weighted smoothing as the authors' code computes it, on graph g (rows = centres,
 * sources = nbr rows), Q iterations from the edge weights w (1 / degree, times dropout and
 * confidence): m^(q) = sum_t w c_q nbr_t, u^(q) = NORM(m^(q)) + residual for q < Q - 1, with
 * c_0 = 1 and c_q = u^(q-1)_h . nbr_t, or, compounding (their KG messages, rescaled in
 * place), c_q = c_{q-1}^2 (u^(q-1)_h . nbr_t). Returns the last m (the caller adds the residual).
 * One fused op (lwsSmooth): the bits of spmmEdge, squash, add, sddmmDot and mul composed.
 */
export function lwsMean(
  t: Tape,
  g: MessageGraph,
  residual: Tensor,
  nbr: Tensor,
  iterations: number,
  w: Tensor,
  compound: boolean,
): Tensor {
  return lwsSmooth(t, g, w, nbr, residual, iterations, compound);
}

/** The mean weights of g's edges (meanWeights) as a constant column [nnz x 1]. */
function meanOf(t: Tape, g: MessageGraph): Tensor {
  const nnz = g.indptr[g.nRows];
  const w = t.buffer(nnz);
  meanWeights(g, w);
  return t.input(w, nnz, 1);
}

/** Mean weights: 1 / the degree of its row for every edge of g, into out. */
export function meanWeights(g: MessageGraph, out: Float32Array): void {
  for (let r = 0; r < g.nRows; r++) {
    const n = g.indptr[r + 1] - g.indptr[r];
    for (let k = g.indptr[r]; k < g.indptr[r + 1]; k++) out[k] = 1 / n;
  }
}

/** dropEdges' scratch, kept between calls (a training step draws every time). */
let dropScratch = { order: new Int32Array(0), dropped: new Uint8Array(0) };

/**
 * Node dropout as the authors' _edge_sampling: round(rate x nnz) edges of g drawn uniformly
 * without replacement are left out (rows keep their order, a row may end up empty); `edgeRel`
 * follows the kept edges.
 */
export function dropEdges(
  g: MessageGraph,
  edgeRel: Int32Array,
  rate: number,
  rng: Rng,
): { graph: MessageGraph; edgeRel: Int32Array } {
  const nnz = g.indptr[g.nRows];
  const n = Math.round(rate * nnz);
  // allocating the scratch every step cost more than the draws
  if (dropScratch.order.length < nnz)
    dropScratch = { order: new Int32Array(nnz), dropped: new Uint8Array(nnz) };
  const { order, dropped } = dropScratch;
  for (let k = 0; k < nnz; k++) order[k] = k;
  dropped.fill(0, 0, nnz);
  for (let k = 0; k < n; k++) {
    const j = k + rng.int(nnz - k);
    const x = order[j];
    order[j] = order[k];
    order[k] = x;
    dropped[x] = 1;
  }
  const indptr = new Int32Array(g.nRows + 1);
  const indices = new Int32Array(nnz - n);
  const rel = new Int32Array(nnz - n);
  let at = 0;
  for (let r = 0; r < g.nRows; r++) {
    for (let k = g.indptr[r]; k < g.indptr[r + 1]; k++)
      if (!dropped[k]) {
        indices[at] = g.indices[k];
        rel[at++] = edgeRel[k];
      }
    indptr[r + 1] = at;
  }
  return { graph: { nRows: g.nRows, nCols: g.nCols, indptr, indices }, edgeRel: rel };
}

/**
 * The sub-graph rows (k, h) of `entities`, entity by entity (the fusion's order), leaving out
 * the rows node dropout emptied in this step's KG (they smooth to 0 and add nothing to the
 * fusion): each entity's count of them (as a CSR pointer), the rows, their centres' rows in
 * the layer's input (through `local` when it holds some rows alone) and their sub-graphs.
 */
function fusionRowsOf(
  vg: CompactVirtualGraph,
  kg: MessageGraph,
  entities: Int32Array,
  local: Int32Array | undefined,
): { fusionPtr: Int32Array; picked: Int32Array; head: Int32Array; fusionVirtual: Int32Array } {
  const { indptr: fusePtr, indices: fuseRows } = vg.fusion;
  const live = (r: number): boolean => kg.indptr[r + 1] > kg.indptr[r];
  const fusionPtr = new Int32Array(entities.length + 1);
  for (let j = 0; j < entities.length; j++) {
    let n = 0;
    for (let p = fusePtr[entities[j]]; p < fusePtr[entities[j] + 1]; p++)
      if (live(fuseRows[p])) n++;
    fusionPtr[j + 1] = fusionPtr[j] + n;
  }
  const R = fusionPtr[entities.length];
  const picked = new Int32Array(R);
  const head = new Int32Array(R);
  const fusionVirtual = new Int32Array(R);
  let at = 0;
  for (let j = 0; j < entities.length; j++)
    for (let p = fusePtr[entities[j]]; p < fusePtr[entities[j] + 1]; p++) {
      const r = fuseRows[p];
      if (!live(r)) continue;
      const h = vg.rowHead[r];
      picked[at] = r;
      head[at] = local ? local[h] : h;
      fusionVirtual[at++] = vg.rowVirtual[r];
    }
  return { fusionPtr, picked, head, fusionVirtual };
}

/** Rows `rows` of g (in that order) with their edges, and each kept edge's index in g. */
export function pickRows(
  g: MessageGraph,
  rows: ArrayLike<number>,
): { graph: MessageGraph; edges: Int32Array } {
  const indptr = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++)
    indptr[i + 1] = indptr[i] + g.indptr[rows[i] + 1] - g.indptr[rows[i]];
  const edges = new Int32Array(indptr[rows.length]);
  let at = 0;
  for (let i = 0; i < rows.length; i++)
    for (let k = g.indptr[rows[i]]; k < g.indptr[rows[i] + 1]; k++) edges[at++] = k;
  const indices = new Int32Array(edges.length);
  for (let p = 0; p < edges.length; p++) indices[p] = g.indices[edges[p]];
  return { graph: { nRows: rows.length, nCols: g.nCols, indptr, indices }, edges };
}

/** One row of the assignment table: an original relation, its virtual relation and confidence. */
export interface RelationAssignment {
  readonly relation: string;
  readonly edges: number;
  readonly virtual: number;
  readonly confidence: number;
}

/** Each layer's user and entity vectors (layer 0 the parameters), and the parameters read. */
interface Layers {
  readonly users: Tensor[];
  readonly entities: Tensor[];
  readonly read: Tensor[];
  /**
   * a training step's layers that hold some rows alone, per layer (undefined: every row): row
   * j of layer l is row rows[l][j] (every layer's users but the first, the entities each layer
   * needs)
   */
  readonly rows?: { readonly users: RowSets; readonly entities: RowSets };
}

/** Each of n rows' position in `held` (-1: not held). */
function positions(held: Int32Array, n: number): Int32Array {
  const at = new Int32Array(n).fill(-1);
  for (let j = 0; j < held.length; j++) at[held[j]] = j;
  return at;
}

/**
 * positions(held, n), computed once per row set (the layer's input and the layer sum read the
 * same sets); n defaults to held's largest row + 1.
 */
const heldPositions = new WeakMap<Int32Array, Int32Array>();
function positionsOf(held: Int32Array, n?: number): Int32Array {
  let at = heldPositions.get(held);
  // a set first seen without n may be asked for again over more rows: then over those
  if (!at || (n !== undefined && at.length < n)) {
    let top = n ?? 0;
    if (n === undefined) for (let j = 0; j < held.length; j++) top = Math.max(top, held[j] + 1);
    heldPositions.set(held, (at = positions(held, top)));
  }
  return at;
}

/** Each of `rows` mapped through `map` (values past its end to -1), in plain loops. */
function mapped(rows: ArrayLike<number>, map: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = rows[k] < map.length ? map[rows[k]] : -1;
  return out;
}

/** A tensor holding some rows alone: them, and each row's position among them (-1: none). */
interface HeldRows {
  readonly rows: Int32Array;
  readonly at: Int32Array;
}

/** Per layer, the rows its tensor holds (undefined: all of them, in order). */
type RowSets = readonly (Int32Array | undefined)[];

/** Distinct users and entity rows a training step reads, in first-appearance order. */
interface NeededRows {
  readonly users: Int32Array;
  readonly entities: Int32Array;
}

/** 0, 1, ..., n - 1 */
function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Distinct values in [0, n) of the lists, in order of first appearance (a mark per value). */
function distinctBelow(n: number, ...lists: ArrayLike<number>[]): Int32Array {
  const seen = new Uint8Array(n);
  const out = new Int32Array(lists.reduce((s, l) => s + l.length, 0));
  let at = 0;
  for (const l of lists)
    for (let k = 0; k < l.length; k++)
      if (!seen[l[k]]) {
        seen[l[k]] = 1;
        out[at++] = l[k];
      }
  return out.slice(0, at);
}

/**
 * The final vectors sum_l e^(l) (eq. 10) at `rows` (all rows without): summed after the
 * gather, so a training step sums the batch's rows alone. A layer with a row set holds those
 * rows alone (row held[j] is its row j).
 */
function layerSum(
  t: Tape,
  layers: readonly Tensor[],
  rows?: ArrayLike<number>,
  sets?: RowSets,
): Tensor {
  // pairwise adds on the pool's kernel: the bits of weightedSum with unit weights, in SIMD
  if (!rows) return layers.reduce((sum, x) => add(t, sum, x));
  // a layer with a row set holds those rows alone (row held[j] is its row j)
  return gatherSum(
    t,
    layers.map((x, l) => {
      const held = sets?.[l];
      return { x, rows: held ? mapped(rows, positionsOf(held)) : rows };
    }),
  );
}

/** Engine choices that leave the model's function unchanged (tests compare them). */
export interface Vrkg4RecOptions {
  /** default true: a training step's layers at the rows the batch needs alone */
  readonly restrictLast?: boolean;
}

export class Vrkg4Rec extends TapeModel<Vrkg4RecHyper> {
  readonly name = 'vrkg4rec';
  private readonly users: Param;
  private readonly entities: Param;
  private readonly relations: Param;
  private readonly centres: Param;
  /** the fusion's attention logits w^(l), one row per layer */
  private readonly attention: Param;
  private readonly edges: KgEdges;
  private readonly userGraph: MessageGraph;
  private assign: Int32Array;
  private virtual: VirtualGraph | CompactVirtualGraph;
  private readonly authors: boolean;
  /** mean weights of the user-item graph (1 / the user's degree), in the pool's memory */
  private readonly userMean: Float32Array;
  /** draws the node dropout and the message dropout masks; reseeded at every epoch */
  private dropRng: Rng;
  /** this step's graphs (node-dropped KG, the needed rows'), in the pool until its backward */
  private stepGraphs: MessageGraph[] = [];

  /** a training step computes its layers at the rows it needs alone (propagation authors) */
  private readonly restrictLast: boolean;

  private constructor(
    ctx: ModelContext,
    hyper: Vrkg4RecHyper,
    pool: Pool,
    kg: KnowledgeGraph,
    options: Vrkg4RecOptions,
  ) {
    super('vrkg4rec', ctx, hyper, pool);
    this.restrictLast = hyper.propagation === 'authors' && (options.restrictLast ?? true);
    const { dim, initStd, virtualRelations: K, layers } = hyper;
    this.authors = hyper.propagation === 'authors';
    this.edges = kgEdges(kg, this.nItems);
    const nEntities = this.edges.nEntities;
    if (this.authors) {
      // their all_embed: one Xavier-uniform [users + entities] x d table
      this.users = this.param('users', this.nUsers, dim, { zeros: true });
      this.entities = this.param('entities', nEntities, dim, { zeros: true });
      const fan = this.nUsers + nEntities;
      xavierUniform(this.users.data, fan, dim, ctx.rng);
      xavierUniform(this.entities.data, fan, dim, ctx.rng);
    } else {
      this.users = this.param('users', this.nUsers, dim, { normal: initStd });
      this.entities = this.param('entities', nEntities, dim, { normal: initStd });
    }
    this.relations = this.param('relations', this.edges.nRelations, dim, { xavier: true });
    this.centres = this.param('centres', K, dim, { xavier: true });
    this.attention = this.param('attention', Math.max(1, layers), K, { zeros: true });
    // their Aggregator.w: (0.4, 0.3, 0.3) for every layer
    if (this.authors)
      for (let k = 0; k < this.attention.size; k++)
        this.attention.data[k] = k % K === 0 ? 0.4 : 0.3;
    this.dropRng = ctx.rng.fork();
    this.userGraph = userEntityGraph(ctx.trainCsr, this.edges);
    this.userMean = pool.allocF32(this.userGraph.indptr[this.userGraph.nRows]);
    meanWeights(this.userGraph, this.userMean);
    this.assign = this.currentAssignment();
    this.virtual = this.subGraphs(this.assign);
  }

  private subGraphs(assign: Int32Array): VirtualGraph | CompactVirtualGraph {
    const K = this.hp.virtualRelations;
    return this.authors
      ? compactVirtualGraph(this.edges, assign, K)
      : virtualGraph(this.edges, assign, K);
  }

  static async create(
    ctx: ModelContext,
    hyper: Partial<Vrkg4RecHyper>,
    options: Vrkg4RecOptions = {},
  ): Promise<Vrkg4Rec> {
    const kg = ctx.kg;
    if (!kg)
      throw new InputError(
        { file: 'dataset' },
        'a dataset with a knowledge graph for vrkg4rec (lastfm-kg:<dir>, or recbole:<file.inter> with a .kg file)',
      );
    const hp = { ...VRKG4REC_DEFAULTS, ...hyper };
    if (!(VRKG4REC_ASSIGNMENTS as readonly string[]).includes(hp.assignment))
      throw new InputError(
        { file: 'vrkg4rec hyperparameters', text: hp.assignment },
        `assignment one of ${VRKG4REC_ASSIGNMENTS.join(', ')}`,
      );
    if (!(VRKG4REC_PROPAGATIONS as readonly string[]).includes(hp.propagation))
      throw new InputError(
        { file: 'vrkg4rec hyperparameters', text: hp.propagation },
        `propagation one of ${VRKG4REC_PROPAGATIONS.join(', ')}`,
      );
    return TapeModel.onPool(ctx, (pool) => new Vrkg4Rec(ctx, hp, pool, kg, options));
  }

  private currentAssignment(): Int32Array {
    return assignRelations(
      this.relations.data,
      this.centres.data,
      this.hp.dim,
      this.hp.virtualRelations,
    );
  }

  /** Rebuilds the sub-graphs when the centres moved an original relation to another one. */
  private reassign(): void {
    const a = this.currentAssignment();
    if (a.every((k, p) => k === this.assign[p])) return;
    releaseGraph(this.pool, this.virtual.graph);
    if ('fusion' in this.virtual) releaseGraph(this.pool, this.virtual.fusion);
    this.assign = a;
    this.virtual = this.subGraphs(a);
  }

  override beginEpoch(epoch: number, rng: Rng): void {
    super.beginEpoch(epoch, rng);
    this.dropRng = rng.fork();
    if (this.hp.assignment === 'learned') this.reassign();
  }

  override lossAndGradient(batch: PairBatch): number {
    try {
      return super.lossAndGradient(batch);
    } finally {
      for (const g of this.stepGraphs) releaseGraph(this.pool, g);
      this.stepGraphs = [];
    }
  }

  override load(state: Record<string, Float32Array>): void {
    super.load(state);
    this.reassign();
  }

  /** The ego embeddings and fusion logits as this pass reads them, and the list of them. */
  private inputs(t: Tape): { E0: Tensor; U0: Tensor; W: Tensor; read: Tensor[] } {
    const E0 = this.read(t, this.entities);
    const U0 = this.read(t, this.users);
    const W = this.read(t, this.attention);
    return { E0, U0, W, read: [U0, E0, W] };
  }

  /** Each edge's assignment confidence c_p, edges of relations edgeRel (assignment learned). */
  private confidence(t: Tape, read: Tensor[], edgeRel: Int32Array): Tensor | undefined {
    if (this.hp.assignment !== 'learned') return undefined;
    const R = this.read(t, this.relations);
    const V = this.read(t, this.centres);
    read.push(R, V);
    const perRelation = softmaxPick(t, matmulNT(t, R, V), this.assign, this.hp.temperature);
    return gather(t, perRelation, edgeRel);
  }

  /** Final user vectors [nUsers x d], entity vectors [N x d] and the parameters read. */
  private forward(t: Tape, need?: NeededRows): Layers {
    return 'fusion' in this.virtual
      ? this.forwardAuthors(t, this.virtual, need)
      : this.forwardPaper(t, this.virtual);
  }

  /**
   * The authors' propagation (see the header), on the sub-graphs' rows with edges; with `need`
   * (a training step) each layer only at the rows the batch needs.
   */
  private forwardAuthors(t: Tape, vg: CompactVirtualGraph, need?: NeededRows): Layers {
    const { virtualRelations: K, layers, lwsIterations: Q } = this.hp;
    const { E0, U0, W, read } = this.inputs(t);
    // node dropout: this step's KG, only the kept edges (the pool's copy freed after the step)
    const rate = this.training ? this.hp.nodeDropout : 0;
    const kg = rate > 0 ? dropEdges(vg.graph, vg.edgeRel, rate, this.dropRng) : vg;
    if (rate > 0) this.stepGraphs.push(kg.graph);
    const confidence = this.confidence(t, read, kg.edgeRel);
    // each KG edge's weight: 1 / its row's degree in this step's KG (times the confidence),
    // made when first needed and then kept: a restricted step without confidence needs none
    let allKgW: Tensor | undefined;
    const kgW = (): Tensor => {
      if (!allKgW) {
        const mean = meanOf(t, kg.graph);
        allKgW = confidence ? mul(t, mean, confidence) : mean;
      }
      return allKgW;
    };
    const userW = t.input(this.userMean, this.userMean.length, 1);
    const picks = Array.from({ length: K }, (_, k) => k);
    // users are never anyone's neighbours: with `need`, every layer's users at the batch's alone
    const userRows = need && layers > 0 && this.neededUsers(t, need);
    // and each layer's entities where the layers above (and the batch) read them
    const sets = userRows ? this.neededEntities(vg, kg.graph, need.entities, userRows.graph) : [];
    const Es = [E0];
    const Us = [U0];
    let E = E0;
    let U = userRows ? gather(t, U0, need.users) : U0;
    let input: HeldRows | undefined;
    for (let l = 0; l < layers; l++) {
      // alpha^(l) = softmax(w^(l)) as a column, one weight per fusion edge by its sub-graph
      const layerRow = picks.map(() => l);
      const alpha = softmaxPick(t, gather(t, W, layerRow), picks, 1);
      const rows = userRows && this.layerRows(vg, kg.graph, sets[l], input);
      let fused: Tensor;
      let users: Tensor;
      if (userRows && rows) {
        // a row's edges are all its edges in this step's KG: its mean weights are its own
        const w = confidence ? gather(t, kgW(), rows.kgEdges) : meanOf(t, rows.kg);
        const m = lwsMean(t, rows.kg, gather(t, E, rows.head), E, Q, w, true);
        const alphaE = gather(t, alpha, rows.fusionVirtual);
        fused = add(t, gather(t, E, rows.centres), spmmEdge(t, rows.fusion, alphaE, m));
        const ug = this.remapped(userRows.graph, input);
        users = add(t, U, lwsMean(t, ug, U, E, Q, userRows.w, false));
      } else {
        const m = lwsMean(t, kg.graph, gather(t, E, vg.rowHead), E, Q, kgW(), true);
        fused = add(t, E, spmmEdge(t, vg.fusion, gather(t, alpha, vg.fusionVirtual), m));
        users = add(t, U, lwsMean(t, this.userGraph, U, E, Q, userW, false));
      }
      E = this.normalizedOutput(t, fused);
      U = this.normalizedOutput(t, users);
      Es.push(E);
      Us.push(U);
      input = userRows ? { rows: sets[l], at: positionsOf(sets[l], E0.rows) } : undefined;
    }
    const rows = userRows && {
      users: Us.map((_, l) => (l === 0 ? undefined : need.users)),
      entities: [undefined, ...sets],
    };
    return { users: Us, entities: Es, read, ...(rows && { rows }) };
  }

  /**
   * The entities each layer computes in a training step, last layer first: the batch's, then
   * below each layer the rows it reads (its entities, their KG sources in this step's KG, the
   * batch users' items). Returned by layer, each in first-appearance order.
   */
  private neededEntities(
    vg: CompactVirtualGraph,
    kg: MessageGraph,
    batch: Int32Array,
    users: MessageGraph,
  ): Int32Array[] {
    const sets = [batch];
    for (let l = this.hp.layers - 2; l >= 0; l--) {
      const above = sets[0];
      const sources: number[] = [];
      // the KG sources of the entities above: their rows' edges in this step's KG
      for (const h of above)
        for (let p = vg.fusion.indptr[h]; p < vg.fusion.indptr[h + 1]; p++) {
          const r = vg.fusion.indices[p];
          for (let k = kg.indptr[r]; k < kg.indptr[r + 1]; k++) sources.push(kg.indices[k]);
        }
      sets.unshift(distinctBelow(kg.nCols, above, sources, users.indices));
    }
    return sets;
  }

  /** g with its sources renumbered to their rows in the input (g itself for every row). */
  private remapped(g: MessageGraph, input?: HeldRows): MessageGraph {
    if (!input) return g;
    const indices = new Int32Array(g.indptr[g.nRows]);
    for (let p = 0; p < indices.length; p++) indices[p] = input.at[g.indices[p]];
    const out = { nRows: g.nRows, nCols: input.rows.length, indptr: g.indptr, indices };
    this.stepGraphs.push(out);
    return out;
  }

  /** The user-item graph at the needed users (row j: user need.users[j]) and its weights. */
  private neededUsers(t: Tape, need: NeededRows): { graph: MessageGraph; w: Tensor } {
    const users = pickRows(this.userGraph, need.users);
    this.stepGraphs.push(users.graph);
    // whole rows of the user-item graph: their mean weights are their own
    return { graph: users.graph, w: meanOf(t, users.graph) };
  }

  /**
   * A layer's graphs at the entities `entities` alone, its input holding the rows `input`
   * (every row when undefined): the KG rows of those entities (from the step's KG, sources
   * renumbered to the input's rows), the fusion from them (entity j <- its rows), and the
   * input rows of their centres.
   */
  private layerRows(
    vg: CompactVirtualGraph,
    kg: MessageGraph,
    entities: Int32Array,
    input?: HeldRows,
  ) {
    const n = entities.length;
    const { fusionPtr, picked, head, fusionVirtual } = fusionRowsOf(vg, kg, entities, input?.at);
    const R = fusionPtr[n];
    const local = input?.at;
    const sub = pickRows(kg, picked);
    this.stepGraphs.push(sub.graph);
    const rows = {
      kg: this.remapped(sub.graph, input),
      kgEdges: sub.edges,
      head,
      centres: local ? mapped(entities, local) : entities,
      fusion: {
        nRows: n,
        nCols: R,
        indptr: fusionPtr,
        indices: identity(R),
      },
      fusionVirtual,
    };
    this.stepGraphs.push(rows.fusion);
    return rows;
  }

  /** A layer's output message-dropped while training, then L2-normalised (their F.normalize). */
  private normalizedOutput(t: Tape, x: Tensor): Tensor {
    const rate = this.hp.messageDropout;
    if (!this.training || rate <= 0) return normalizeRows(t, x);
    const seeds = [this.dropRng.nextU32(), this.dropRng.nextU32()] as const;
    return dropNormalize(t, x, { rate, seeds });
  }

  /** The paper's equations, on the K x N rows of the sub-graphs. */
  private forwardPaper(t: Tape, vg: VirtualGraph): Layers {
    const { virtualRelations: K, layers, lwsIterations: Q } = this.hp;
    const { E0, U0, W, read } = this.inputs(t);
    const confidence = this.confidence(t, read, vg.edgeRel);
    const Es = [E0];
    const Us = [U0];
    let E = E0;
    let U = U0;
    for (let l = 0; l < layers; l++) {
      const centres =
        K === 1
          ? E
          : concatRows(
              t,
              Array.from({ length: K }, () => E),
            );
      const perVirtual = lws(t, vg.graph, centres, E, Q, confidence);
      const nextE = softmaxBlockSum(t, gather(t, W, [l]), perVirtual);
      U = lws(t, this.userGraph, U, E, Q);
      E = nextE;
      Es.push(E);
      Us.push(U);
    }
    return { users: Us, entities: Es, read };
  }

  protected batchVectors(t: Tape, batch: PairBatch): BatchVectors {
    const entityOf = (items: Int32Array): Int32Array => mapped(items, this.edges.itemEntity);
    const pos = entityOf(batch.pos);
    const neg = entityOf(batch.neg);
    const shared = batch.shared && entityOf(batch.shared);
    const need = this.restrictLast
      ? {
          users: distinctBelow(this.nUsers, batch.users),
          entities: distinctBelow(this.edges.nEntities, pos, neg, shared ?? []),
        }
      : undefined;
    const f = this.forward(t, need);
    const sum = (layers: Tensor[], rows: Int32Array) => layerSum(t, layers, rows, f.rows?.entities);
    const v = {
      users: layerSum(t, f.users, batch.users, f.rows?.users),
      pos: sum(f.entities, pos),
      neg: sum(f.entities, neg),
      // the mini-batch's shared negatives (sharedNegatives > 0), scored against every triple
      ...(shared && { shared: sum(f.entities, shared) }),
    };
    // the authors' L2: the batch's final vectors; the paper's: every parameter read
    const batchRows = [v.users, v.pos, v.neg, ...(v.shared ? [v.shared] : [])];
    return { ...v, regularized: this.authors ? batchRows : f.read };
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    const f = this.forward(t);
    return {
      users: layerSum(t, f.users),
      items: layerSum(t, f.entities, this.edges.itemEntity),
    };
  }

  /** Each original relation's virtual relation, its KG edges and its confidence. */
  relationAssignment(): RelationAssignment[] {
    const { dim: d, virtualRelations: K, temperature } = this.hp;
    const edges = new Int32Array(this.edges.nRelations);
    for (const r of this.edges.rel) edges[r]++;
    const R = this.relations.data;
    const V = this.centres.data;
    return this.edges.relationNames.map((relation, p) => {
      const s = Array.from({ length: K }, (_, k) => {
        let x = 0;
        for (let c = 0; c < d; c++) x += R[p * d + c] * V[k * d + c];
        return x / temperature;
      });
      const m = Math.max(...s);
      const z = s.reduce((a, x) => a + Math.exp(x - m), 0);
      const virtual = this.assign[p];
      return { relation, edges: edges[p], virtual, confidence: Math.exp(s[virtual] - m) / z };
    });
  }

  /** The fusion weights alpha^(l) per layer. */
  fusionWeights(): number[][] {
    const K = this.hp.virtualRelations;
    return Array.from({ length: this.hp.layers }, (_, l) => {
      const w = Array.from(this.attention.data.subarray(l * K, (l + 1) * K));
      const m = Math.max(...w);
      const z = w.reduce((a, x) => a + Math.exp(x - m), 0);
      return w.map((x) => Math.exp(x - m) / z);
    });
  }

  report(): ModelReport {
    const rows = this.relationAssignment();
    const K = this.hp.virtualRelations;
    const lines = [
      `VRKG4Rec: ${rows.length} KG relations (both directions) -> ${K} virtual relations`,
    ];
    for (let k = 0; k < K; k++) {
      const mine = rows.filter((r) => r.virtual === k).sort((a, b) => b.edges - a.edges);
      const edges = mine.reduce((s, r) => s + r.edges, 0);
      const shown = mine
        .slice(0, 12)
        .map((r) => `${r.relation} (${r.edges})`)
        .join(', ');
      lines.push(
        `  virtual ${k}: ${mine.length} relations, ${edges} edges: ${shown}${mine.length > 12 ? ', ...' : ''}`,
      );
    }
    const alpha = this.fusionWeights();
    if (alpha.length > 0)
      lines.push(
        `  fusion weights alpha by layer: ${alpha.map((a) => `[${a.map((x) => x.toFixed(3)).join(', ')}]`).join(' ')}`,
      );
    return {
      name: 'relation-assignment',
      lines,
      data: {
        virtualRelations: K,
        assignment: this.hp.assignment,
        relations: rows,
        fusionWeights: alpha,
      },
    };
  }
}
