/**
 * GRU4Rec's session-parallel mini-batches (Hidasi et al. 2016, section 3.1.1 and Fig. 2): the
 * batch has B slots, each following one session event by event; at every step each slot gives
 * the current event as input and the next event as target; when a slot's session has no next
 * event, the slot takes the next session in the order and its hidden state is reset. Sessions
 * shorter than 2 give no step. When the order runs out, a finished slot stays empty and later
 * steps are smaller (the original code stops there instead, dropping the longer sessions' tails).
 */
import type { Sequences } from '../data/sequences.js';

/** All steps of an epoch; step s is entries [stepOffsets[s], stepOffsets[s + 1]), by slot. */
export interface SessionParallelPlan {
  readonly stepOffsets: Int32Array;
  readonly slots: Int32Array;
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  /** 1 where the slot's session starts at this step: its hidden state is reset */
  readonly resets: Uint8Array;
  readonly batchSize: number;
}

export function sessionParallelPlan(
  seqs: Sequences,
  order: ArrayLike<number>,
  batchSize: number,
): SessionParallelPlan {
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new RangeError(`batch size must be an integer >= 1, got ${batchSize}`);
  const { offsets, items } = seqs;
  let events = 0;
  for (let k = 0; k < order.length; k++)
    events += Math.max(0, offsets[order[k] + 1] - offsets[order[k]] - 1);
  let next = 0;
  /** the next session in the order with at least 2 events, or -1 */
  const take = (): number => {
    while (next < order.length) {
      const s = order[next++];
      if (offsets[s + 1] - offsets[s] >= 2) return s;
    }
    return -1;
  };
  const pos = new Int32Array(batchSize); // the slot's current event; -1: empty
  const end = new Int32Array(batchSize); // the end offset of the slot's session
  const fresh = new Uint8Array(batchSize);
  const start = (b: number): void => {
    const s = take();
    pos[b] = s < 0 ? -1 : offsets[s];
    end[b] = s < 0 ? -1 : offsets[s + 1];
    fresh[b] = 1;
  };
  for (let b = 0; b < batchSize; b++) start(b);
  const out = {
    slots: new Int32Array(events),
    inputs: new Int32Array(events),
    targets: new Int32Array(events),
    resets: new Uint8Array(events),
  };
  const steps: number[] = [0];
  let e = 0;
  while (e < events) {
    for (let b = 0; b < batchSize; b++) {
      if (pos[b] < 0) continue;
      out.slots[e] = b;
      out.inputs[e] = items[pos[b]];
      out.targets[e] = items[pos[b] + 1];
      out.resets[e] = fresh[b];
      e++;
      fresh[b] = 0;
      if (++pos[b] + 1 >= end[b]) start(b);
    }
    steps.push(e);
  }
  return { ...out, stepOffsets: Int32Array.from(steps), batchSize };
}
