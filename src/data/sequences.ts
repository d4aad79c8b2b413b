/**
 * Item sequences for next-item recommendation, and the two protocols that cut them into train
 * and test:
 *  - sessions (SR-GNN's preprocessing of DIGINETICA / YOOCHOOSE, Wu et al. AAAI 2019, as in
 *    its datasets/preprocess.py): sessions of length 1 dropped, then items seen fewer than 5
 *    times, then sessions left shorter than 2; the sessions of the last 7 days are the test
 *    set, their items restricted to items of the training sessions; every event of a test
 *    session after its first is a case (its prefix in, the item out);
 *  - user histories (RecBole's sequential protocol): each user's items by time, the last one
 *    to test and the one before it to validation (leave-one-out), inputs cut to the last 50.
 * Items keep the dataset's ids; every function here is pure.
 */
import { groupByUser, sortByTime } from './select.js';
import type { Interactions, Sessions, Split } from './types.js';

/** Row s holds items[offsets[s] .. offsets[s+1]) in order. */
export interface Sequences {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/** Case c asks for targets[c] after the items of inputs' row c. */
export interface NextItemCases {
  readonly inputs: Sequences;
  readonly targets: Int32Array;
}

export interface NextItemSplit {
  /** items are 0 .. nItems-1 in every part */
  readonly nItems: number;
  /** training sequences (sessions, or each user's history before validation and test) */
  readonly train: Sequences;
  readonly valid?: NextItemCases;
  readonly test: NextItemCases;
  /** internal item -> the caller's item id (the dataset's internal id) */
  readonly itemOf: Int32Array;
  /** what was dropped, for a note */
  readonly dropped: { readonly sessions: number; readonly events: number };
}

export function sequenceCount(s: Sequences): number {
  return s.offsets.length - 1;
}

/** Builds Sequences from rows given as arrays. */
export function sequencesOf(rows: readonly ArrayLike<number>[]): Sequences {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, s) => (offsets[s + 1] = offsets[s] + r.length));
  const items = new Int32Array(offsets[rows.length]);
  rows.forEach((r, s) => items.set(Array.from(r), offsets[s]));
  return { offsets, items };
}

function rowsOf(s: Sequences): Int32Array[] {
  const out: Int32Array[] = [];
  for (let r = 0; r + 1 < s.offsets.length; r++)
    out.push(s.items.subarray(s.offsets[r], s.offsets[r + 1]));
  return out;
}

/** Each user's items in time order (ties and data without timestamps: in interaction order). */
export function userSequences(x: Interactions): Sequences {
  const by = groupByUser(x);
  const items = new Int32Array(x.items.length);
  for (let u = 0; u < x.nUsers; u++) {
    const idx = by.order.slice(by.indptr[u], by.indptr[u + 1]);
    if (x.timestamps) sortByTime(idx, x.timestamps); // in place
    for (let p = 0; p < idx.length; p++) items[by.indptr[u] + p] = x.items[idx[p]];
  }
  return { offsets: by.indptr, items };
}

/** Every event after the first of every sequence as a case: the prefix before it, then it. */
export function prefixCases(s: Sequences, maxLength = Infinity): NextItemCases {
  const inputs: Int32Array[] = [];
  const targets: number[] = [];
  for (const row of rowsOf(s))
    for (let p = 1; p < row.length; p++) {
      inputs.push(row.subarray(Math.max(0, p - maxLength), p));
      targets.push(row[p]);
    }
  return { inputs: sequencesOf(inputs), targets: Int32Array.from(targets) };
}

export interface SessionSplitOptions {
  /** items seen fewer times than this (over the sessions longer than 1) are dropped (5) */
  readonly minItemCount?: number;
  /** sessions whose time is after (last session time - testDays days) are the test set (7) */
  readonly testDays?: number;
  /**
   * drop the sessions exactly at the split time, as SR-GNN's preprocess.py does (train is
   * time < split there, test time > split); default false: they train (time <= split)
   */
  readonly dropBoundary?: boolean;
}

const DAY = 86400;

/** The sessions SR-GNN's preprocessing keeps, cut into train and test (whole sessions). */
export interface SessionSplitSequences {
  readonly nItems: number;
  /** whole sessions, by time, items 0 .. nItems-1 */
  readonly train: Sequences;
  readonly test: Sequences;
  /** the log's session index of each train / test row */
  readonly trainSessions: Int32Array;
  readonly testSessions: Int32Array;
  /** each row's time: its latest event's timestamp in the log */
  readonly trainTimes: Float64Array;
  readonly testTimes: Float64Array;
  /** internal item -> the log's item index */
  readonly itemOf: Int32Array;
  readonly dropped: { readonly sessions: number; readonly events: number };
}

/**
 * SR-GNN's preprocessing and split of a session log. A session's time is its latest event's
 * timestamp (seconds); the split time is the last session's time - testDays days; test is
 * time > split, train time <= split (or < split with dropBoundary, preprocess.py's reading, which
 * loses the sessions of the split day: on the DIGINETICA sample 469 train sessions and 39 test
 * sessions instead of 478 and 41). Items are renumbered over the training sessions, in order of
 * first appearance.
 */
export function sessionSplitSequences(
  s: Sessions,
  o: SessionSplitOptions = {},
): SessionSplitSequences {
  const minCount = o.minItemCount ?? 5;
  const testDays = o.testDays ?? 7;
  const times = s.timestamps;
  if (!times) throw new RangeError('a split of sessions by date needs timestamps');
  const sessions = rowsOf(s);
  const long = sessions.map((row) => row.length > 1);
  const counts = new Int32Array(s.nItems);
  sessions.forEach((row, k) => {
    if (long[k]) for (const i of row) counts[i]++;
  });
  const kept: { items: Int32Array; time: number; session: number }[] = [];
  sessions.forEach((row, k) => {
    if (!long[k]) return;
    const items = row.filter((i) => counts[i] >= minCount);
    if (items.length < 2) return;
    let time = -Infinity;
    for (let p = s.offsets[k]; p < s.offsets[k + 1]; p++) time = Math.max(time, times[p]);
    kept.push({ items, time, session: k });
  });
  let last = -Infinity;
  for (const k of kept) last = Math.max(last, k.time);
  const cut = last - testDays * DAY;
  // Stable sort by time, as preprocess.py sorts the sessions by date.
  const train = kept
    .filter((k) => k.time < cut || (k.time === cut && !o.dropBoundary))
    .sort((a, b) => a.time - b.time);
  const index = new Int32Array(s.nItems).fill(-1);
  const itemOf: number[] = [];
  const renumber = (i: number): number => {
    if (index[i] < 0) index[i] = itemOf.push(i) - 1;
    return index[i];
  };
  const trainRows = train.map((k) => k.items.map(renumber));
  const test = kept
    .filter((k) => k.time > cut)
    .sort((a, b) => a.time - b.time)
    .map((k) => ({ ...k, items: k.items.filter((i) => index[i] >= 0).map((i) => index[i]) }))
    .filter((k) => k.items.length >= 2);
  const testRows = test.map((k) => k.items);
  const events = (rows: readonly Int32Array[]) => rows.reduce((a, r) => a + r.length, 0);
  return {
    nItems: itemOf.length,
    train: sequencesOf(trainRows),
    test: sequencesOf(testRows),
    trainSessions: Int32Array.from(train, (k) => k.session),
    testSessions: Int32Array.from(test, (k) => k.session),
    trainTimes: Float64Array.from(train, (k) => k.time),
    testTimes: Float64Array.from(test, (k) => k.time),
    itemOf: Int32Array.from(itemOf),
    dropped: {
      sessions: s.nSessions - trainRows.length - testRows.length,
      events: s.items.length - events(trainRows) - events(testRows),
    },
  };
}

/** sessionSplitSequences with every test event after a session's first as a case. */
export function sessionSplit(s: Sessions, o: SessionSplitOptions = {}): NextItemSplit {
  const sp = sessionSplitSequences(s, o);
  return {
    nItems: sp.nItems,
    train: sp.train,
    test: prefixCases(sp.test),
    itemOf: sp.itemOf,
    dropped: sp.dropped,
  };
}

/**
 * RecBole's sequential protocol: each user's history by time (userSequences); the last item is
 * the test target and the one before it the validation target, each asked after at most
 * `maxLength` items before it; training sees the history before the validation item. A user
 * with 2 items has a test case only, with 1 item nothing but a training row.
 */
export function leaveLastOut(x: Interactions, maxLength = 50): NextItemSplit {
  const train: Int32Array[] = [];
  const cases = { valid: [] as Int32Array[], validT: [] as number[], test: [] as Int32Array[] };
  const testT: number[] = [];
  for (const row of rowsOf(userSequences(x))) {
    const n = row.length;
    const held = Math.min(2, n - 1);
    train.push(row.subarray(0, n - held));
    if (n >= 2) {
      cases.test.push(row.subarray(Math.max(0, n - 1 - maxLength), n - 1));
      testT.push(row[n - 1]);
    }
    if (n >= 3) {
      cases.valid.push(row.subarray(Math.max(0, n - 2 - maxLength), n - 2));
      cases.validT.push(row[n - 2]);
    }
  }
  return {
    nItems: x.nItems,
    train: sequencesOf(train),
    valid: { inputs: sequencesOf(cases.valid), targets: Int32Array.from(cases.validT) },
    test: { inputs: sequencesOf(cases.test), targets: Int32Array.from(testT) },
    itemOf: Int32Array.from({ length: x.nItems }, (_, i) => i),
    dropped: { sessions: 0, events: 0 },
  };
}

/**
 * The next-item cases of a user-item split whose users are sequences: each event of the target
 * part (valid, or test) is a case, asked after the user's earlier events, the training ones by
 * time, then (for test) the validation ones, then the target part's own earlier events, cut to
 * the last `maxLength`. An event with nothing before it is no case. On a time-ordered
 * leave-one-out split this is leaveLastOut's cases; on a given split of whole sessions
 * (sessions:<file>) it is prefixCases of the test sessions.
 */
export function splitCases(
  split: Split,
  target: 'valid' | 'test',
  maxLength = Infinity,
): NextItemCases {
  const part = target === 'valid' ? split.valid : split.test;
  if (!part) throw new RangeError('a split without a validation part has no validation cases');
  const history = [userSequences(split.train)];
  if (target === 'test' && split.valid) history.push(userSequences(split.valid));
  const asked = userSequences(part);
  const inputs: Int32Array[] = [];
  const targets: number[] = [];
  for (let u = 0; u + 1 < asked.offsets.length; u++) {
    const before = history.map((h) => h.items.subarray(h.offsets[u], h.offsets[u + 1]));
    const own = asked.items.subarray(asked.offsets[u], asked.offsets[u + 1]);
    const row = Int32Array.from([...before.flatMap((b) => Array.from(b)), ...own]);
    for (let p = row.length - own.length; p < row.length; p++) {
      if (p === 0) continue;
      inputs.push(row.subarray(Math.max(0, p - maxLength), p));
      targets.push(row[p]);
    }
  }
  return { inputs: sequencesOf(inputs), targets: Int32Array.from(targets) };
}

/** User u's events of each part in turn, each part's by time (ties in order). */
export function userHistory(partsInOrder: readonly Interactions[], u: number): Int32Array {
  const out: number[] = [];
  for (const x of partsInOrder) {
    const idx: number[] = [];
    for (let k = 0; k < x.users.length; k++) if (x.users[k] === u) idx.push(k);
    const own = Int32Array.from(idx);
    if (x.timestamps) sortByTime(own, x.timestamps);
    for (const k of own) out.push(x.items[k]);
  }
  return Int32Array.from(out);
}
