/**
 * The shape GCN, GAT (and any model that propagates over the whole user-item graph) share on
 * the tape: learnable id embeddings for every node (users, then items) go through the model's
 * propagate() to final vectors for every node; a batch reads its pairs' rows of the result, the
 * L2 term covers the batch's id embeddings (as LightGCN), and ranking splits the result into
 * users and items.
 */
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import { gather } from '../engine/tape/ops/index.js';
import { TapeModel, type BatchVectors, type PairBatch, type TapeModelHyper } from './tapeModel.js';

export abstract class GraphTapeModel<H extends TapeModelHyper> extends TapeModel<H> {
  /** the id embeddings h(0): users then items, [nNodes x d] */
  protected abstract readonly ego: Param;

  /** Final vectors of every node from h(0). */
  protected abstract propagate(t: Tape, h0: Tensor): Tensor;

  protected batchVectors(t: Tape, b: PairBatch): BatchVectors {
    const e0 = this.read(t, this.ego);
    const h = this.propagate(t, e0);
    const pos = Int32Array.from(b.pos, (i) => this.nUsers + i);
    const neg = Int32Array.from(b.neg, (i) => this.nUsers + i);
    const regularized = [gather(t, e0, b.users), gather(t, e0, pos), gather(t, e0, neg)];
    const shared = b.shared && Int32Array.from(b.shared, (i) => this.nUsers + i);
    if (shared) regularized.push(gather(t, e0, shared));
    return {
      users: gather(t, h, b.users),
      pos: gather(t, h, pos),
      neg: gather(t, h, neg),
      ...(shared && { shared: gather(t, h, shared) }),
      regularized,
    };
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    const h = this.propagate(t, this.read(t, this.ego));
    const d = h.cols;
    const nu = this.nUsers;
    return {
      users: t.input(h.data.subarray(0, nu * d), nu, d),
      items: t.input(h.data.subarray(nu * d), this.nItems, d),
    };
  }
}
