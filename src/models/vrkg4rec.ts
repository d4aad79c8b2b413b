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
 * Each step runs the whole forward pass over every entity and user (as the authors' code), then
 * scores the batch's pairs. Dropout (the authors' node and message dropout) is left out.
 */
import type { KnowledgeGraph } from '../data/types.js';
import type { Pool } from '../engine/pool.js';
import type { Rng } from '../util/rng.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  add,
  concatRows,
  gather,
  matmulNT,
  mul,
  sddmmDot,
  softmaxBlockSum,
  softmaxPick,
  spmmEdge,
  squash,
  weightedSum,
  type MessageGraph,
} from '../engine/tape/ops/index.js';
import { releaseGraph } from '../engine/tape/ops/messageGraph.js';
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

/**
 * The authors' batch 1024 and l2 1e-5; lr 0.005 (theirs 1e-4 over 400 epochs) chosen on a
 * validation tenth of lastfm-kg's train.txt: Recall@20 0.265 at 30 epochs, against 0.237 for
 * batch 4096 at lr 0.01 and 0.103 at lr 0.001 after 10 epochs.
 */
export const VRKG4REC_DEFAULTS = {
  ...TAPE_MODEL_DEFAULTS,
  lr: 0.005,
  reg: 1e-5,
  batchSize: 1024,
  layers: 2,
  virtualRelations: 3,
  lwsIterations: 3,
  assignment: 'learned' as string,
  temperature: 0.2,
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

/** One row of the assignment table: an original relation, its virtual relation and confidence. */
export interface RelationAssignment {
  readonly relation: string;
  readonly edges: number;
  readonly virtual: number;
  readonly confidence: number;
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
  private virtual: VirtualGraph;

  private constructor(ctx: ModelContext, hyper: Vrkg4RecHyper, pool: Pool, kg: KnowledgeGraph) {
    super('vrkg4rec', ctx, hyper, pool);
    const { dim, initStd, virtualRelations: K, layers } = hyper;
    this.edges = kgEdges(kg, this.nItems);
    this.users = this.param('users', this.nUsers, dim, { normal: initStd });
    this.entities = this.param('entities', this.edges.nEntities, dim, { normal: initStd });
    this.relations = this.param('relations', this.edges.nRelations, dim, { xavier: true });
    this.centres = this.param('centres', K, dim, { xavier: true });
    this.attention = this.param('attention', Math.max(1, layers), K, { zeros: true });
    const ui = ctx.trainCsr;
    this.userGraph = {
      nRows: ui.nRows,
      nCols: this.edges.nEntities,
      indptr: ui.indptr,
      indices: Int32Array.from(
        ui.indices.subarray(0, ui.indptr[ui.nRows]),
        (i) => this.edges.itemEntity[i],
      ),
    };
    this.assign = this.currentAssignment();
    this.virtual = virtualGraph(this.edges, this.assign, K);
  }

  static async create(ctx: ModelContext, hyper: Partial<Vrkg4RecHyper>): Promise<Vrkg4Rec> {
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
    return TapeModel.onPool(ctx, (pool) => new Vrkg4Rec(ctx, hp, pool, kg));
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
    this.assign = a;
    this.virtual = virtualGraph(this.edges, a, this.hp.virtualRelations);
  }

  override beginEpoch(epoch: number, rng: Rng): void {
    super.beginEpoch(epoch, rng);
    if (this.hp.assignment === 'learned') this.reassign();
  }

  override load(state: Record<string, Float32Array>): void {
    super.load(state);
    this.reassign();
  }

  /** Final user vectors [nUsers x d], entity vectors [N x d] and the parameters read. */
  private forward(t: Tape): { users: Tensor; entities: Tensor; read: Tensor[] } {
    const { virtualRelations: K, layers, lwsIterations: Q, assignment, temperature } = this.hp;
    const E0 = this.read(t, this.entities);
    const U0 = this.read(t, this.users);
    const W = this.read(t, this.attention);
    const read = [U0, E0, W];
    let confidence: Tensor | undefined;
    if (assignment === 'learned') {
      const R = this.read(t, this.relations);
      const V = this.read(t, this.centres);
      read.push(R, V);
      const perRelation = softmaxPick(t, matmulNT(t, R, V), this.assign, temperature);
      confidence = gather(t, perRelation, this.virtual.edgeRel);
    }
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
      const perVirtual = lws(t, this.virtual.graph, centres, E, Q, confidence);
      const nextE = softmaxBlockSum(t, gather(t, W, [l]), perVirtual);
      U = lws(t, this.userGraph, U, E, Q);
      E = nextE;
      Es.push(E);
      Us.push(U);
    }
    const ones = Es.map(() => 1);
    return {
      users: layers === 0 ? U0 : weightedSum(t, Us, ones),
      entities: layers === 0 ? E0 : weightedSum(t, Es, ones),
      read,
    };
  }

  protected batchVectors(t: Tape, batch: PairBatch): BatchVectors {
    const f = this.forward(t);
    const entityOf = (items: Int32Array): Int32Array =>
      Int32Array.from(items, (i) => this.edges.itemEntity[i]);
    return {
      users: gather(t, f.users, batch.users),
      pos: gather(t, f.entities, entityOf(batch.pos)),
      neg: gather(t, f.entities, entityOf(batch.neg)),
      // the mini-batch's shared negatives (sharedNegatives > 0), scored against every triple
      ...(batch.shared && { shared: gather(t, f.entities, entityOf(batch.shared)) }),
      regularized: f.read,
    };
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    const f = this.forward(t);
    return { users: f.users, items: gather(t, f.entities, this.edges.itemEntity) };
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
