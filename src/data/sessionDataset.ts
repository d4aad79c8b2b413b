/**
 * `sessions:<file>`: a session log (session id, item id, timestamp) as a Dataset whose users are
 * the sessions SR-GNN's preprocessing keeps and whose given split is SR-GNN's (the sessions of
 * the last 7 days test, their items restricted to training items; data/sequences.ts). Items
 * are numbered as that split numbers them, so a model's item k is the dataset's item k; each
 * event carries its session's time, and events keep their order within a session.
 */
import { InputError } from '../util/errors.js';
import { idMapOf } from './idmap.js';
import type { ColumnMapping } from './loaders/columns.js';
import { loadSessions } from './loaders/sessions.js';
import type { LayoutHint } from './loaders/sniff.js';
import { sequenceCount, sessionSplitSequences, type Sequences } from './sequences.js';
import type { Dataset, Interactions } from './types.js';

export interface SessionDatasetOptions extends LayoutHint {
  /** `user` names the session column (a session plays the user's part) */
  readonly columns?: ColumnMapping;
}

/** Events of sequences as interactions over `nUsers` users, rows from user `first` on. */
function eventsOf(
  seqs: Sequences,
  times: Float64Array,
  first: number,
  nUsers: number,
  nItems: number,
): Interactions {
  const users = new Int32Array(seqs.items.length);
  const timestamps = new Float64Array(seqs.items.length);
  for (let r = 0; r < sequenceCount(seqs); r++) {
    users.fill(first + r, seqs.offsets[r], seqs.offsets[r + 1]);
    timestamps.fill(times[r], seqs.offsets[r], seqs.offsets[r + 1]);
  }
  return { nUsers, nItems, users, items: seqs.items.slice(), timestamps };
}

function concat(a: Interactions, b: Interactions): Interactions {
  const join = <T extends Int32Array | Float64Array>(x: T, y: T, make: (n: number) => T): T => {
    const out = make(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    nUsers: a.nUsers,
    nItems: a.nItems,
    users: join(a.users, b.users, (n) => new Int32Array(n)),
    items: join(a.items, b.items, (n) => new Int32Array(n)),
    timestamps: join(
      a.timestamps as Float64Array,
      b.timestamps as Float64Array,
      (n) => new Float64Array(n),
    ),
  };
}

export async function loadSessionDataset(
  file: string,
  o: SessionDatasetOptions = {},
  name?: string,
): Promise<Dataset> {
  const c = o.columns ?? {};
  const log = await loadSessions(file, {
    ...(o.delimiter !== undefined ? { delimiter: o.delimiter } : {}),
    ...(o.header !== undefined ? { header: o.header } : {}),
    ...(o.quote !== undefined ? { quote: o.quote } : {}),
    columns: {
      ...(c.user !== undefined ? { session: c.user } : {}),
      ...(c.item !== undefined ? { item: c.item } : {}),
      ...(c.timestamp !== undefined ? { timestamp: c.timestamp } : {}),
    },
    requireTimestamps: 'the test set is the sessions of the last 7 days (SR-GNN split)',
  });
  const sp = sessionSplitSequences(log);
  const nTrain = sequenceCount(sp.train);
  if (nTrain === 0 || sequenceCount(sp.test) === 0)
    throw new InputError(
      { file },
      `training sessions and sessions in the last 7 days after SR-GNN's preprocessing (sessions of 2+ events, items seen 5+ times): ${nTrain} training and ${sequenceCount(sp.test)} test sessions are left`,
    );
  const nUsers = nTrain + sequenceCount(sp.test);
  const train = eventsOf(sp.train, sp.trainTimes, 0, nUsers, sp.nItems);
  const test = eventsOf(sp.test, sp.testTimes, nTrain, nUsers, sp.nItems);
  const sessionIds = [...sp.trainSessions, ...sp.testSessions].map((s) => log.sessionIds.ids[s]);
  return {
    name: name ?? file.replace(/^.*[/\\]/, '').replace(/\.[^.]+$/, ''),
    sources: [file],
    kind: 'sessions',
    userIds: idMapOf(sessionIds),
    itemIds: idMapOf(Array.from(sp.itemOf, (i) => log.itemIds.ids[i])),
    interactions: concat(train, test),
    given: { train, test },
    notes: [
      `SR-GNN preprocessing and split: ${nTrain} training sessions (${train.items.length} events), ${nUsers - nTrain} test sessions (${test.items.length} events) of the last 7 days, ${sp.nItems} items; ${sp.dropped.sessions} sessions and ${sp.dropped.events} events dropped (sessions of 1 event, items seen fewer than 5 times, test items not in training)`,
    ],
  };
}
