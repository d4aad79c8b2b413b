/**
 * Session logs: rows of (session id, item id, timestamp), in any order; each session's items
 * come out in time order (ties keep file order).
 */
import { InputError } from '../../util/errors.js';
import { GrowableFloat64, GrowableInt32 } from '../buffers.js';
import { IdMapBuilder } from '../idmap.js';
import type { Sessions } from '../types.js';
import { findByAlias, findColumn, unnamedColumns, type ColumnRef } from './columns.js';
import { forEachRecord } from './records.js';
import { delimiterName, sniffLayout, type LayoutHint } from './sniff.js';
import { timestampOrThrow } from './values.js';

export interface SessionOptions extends LayoutHint {
  readonly columns?: {
    readonly session?: ColumnRef;
    readonly item?: ColumnRef;
    readonly timestamp?: ColumnRef | null;
    /**
     * orders a session's events where the timestamp is coarser or absent (DIGINETICA's
     * `timeframe`, ms since the session started, beside its `eventdate` day)
     */
    readonly order?: ColumnRef;
  };
  /**
   * refuse a file without a timestamp column, before reading its rows; the text says what the
   * timestamps are for
   */
  readonly requireTimestamps?: string;
}

export async function loadSessions(file: string, options: SessionOptions = {}): Promise<Sessions> {
  const layout = await sniffLayout(file, options);
  const h = {
    file,
    header: layout.header ? layout.firstFields : undefined,
    line: layout.firstLineNo,
    columnCount: layout.columnCount,
  };
  const c = options.columns ?? {};
  const taken: number[] = [];
  const pick = (role: string, ref: ColumnRef | undefined, position: number): number => {
    let k = ref !== undefined ? findColumn(h, ref, role) : findByAlias(h, role, taken);
    // A header that does not name the session or item column is refused, not read by position.
    if (k < 0 && h.header && role !== 'timestamp') throw unnamedColumns(h, [role], taken);
    if (k < 0 && position < layout.columnCount && !taken.includes(position)) k = position;
    if (k >= 0) taken.push(k);
    return k;
  };
  const sCol = pick('session', c.session, 0);
  const iCol = pick('item', c.item, 1);
  const tCol = c.timestamp === null ? -1 : pick('timestamp', c.timestamp ?? undefined, 2);
  const oCol =
    c.order !== undefined ? findColumn(h, c.order, 'order') : findByAlias(h, 'order', taken);
  if (sCol < 0 || iCol < 0) {
    throw new InputError({ file, line: h.line }, 'at least two columns (session and item)');
  }
  if (tCol < 0 && options.requireTimestamps) {
    throw new InputError(
      { file, line: h.line, text: layout.firstFields.join(', ') },
      `a timestamp column (${options.requireTimestamps})`,
    );
  }
  const sessionIds = new IdMapBuilder();
  const itemIds = new IdMapBuilder();
  const sess = new GrowableInt32(1 << 14);
  const items = new GrowableInt32(1 << 14);
  const times = tCol >= 0 ? new GrowableFloat64(1 << 14) : undefined;
  const order = oCol >= 0 ? new GrowableFloat64(1 << 14) : undefined;
  await forEachRecord(file, layout, (f, line) => {
    if (f.length !== layout.columnCount) {
      throw new InputError(
        { file, line },
        `${layout.columnCount} columns separated by ${delimiterName(layout.delimiter)}, found ${f.length}`,
      );
    }
    const s = f[sCol].trim();
    const i = f[iCol].trim();
    if (!s || !i) {
      throw new InputError({ file, line }, `a ${s ? 'item' : 'session'} id, found it empty`);
    }
    sess.push(sessionIds.intern(s));
    items.push(itemIds.intern(i));
    times?.push(
      timestampOrThrow(f[tCol], { file, line }, 'a number or ISO date in the timestamp column'),
    );
    order?.push(timestampOrThrow(f[oCol], { file, line }, 'a number in the order column'));
  });
  if (sess.length === 0) throw new InputError({ file }, 'at least one data row');
  const t = times?.toArray();
  const o = order?.toArray();
  // Events sort by time, then by the order column; either alone where only one is given.
  const keys = t && o ? [t, o] : t ? [t] : o ? [o] : [];
  return groupSessions(sess.toArray(), items.toArray(), keys, t, sessionIds, itemIds);
}

function groupSessions(
  sess: Int32Array,
  items: Int32Array,
  keys: readonly Float64Array[],
  times: Float64Array | undefined,
  sessionIds: IdMapBuilder,
  itemIds: IdMapBuilder,
): Sessions {
  const nSessions = sessionIds.size;
  const offsets = new Int32Array(nSessions + 1);
  for (const s of sess) offsets[s + 1]++;
  for (let s = 0; s < nSessions; s++) offsets[s + 1] += offsets[s];
  const fill = offsets.slice(0, nSessions);
  const order = new Int32Array(sess.length);
  for (let k = 0; k < sess.length; k++) order[fill[sess[k]]++] = k;
  const compare = (a: number, b: number): number => {
    for (const k of keys) if (k[a] !== k[b]) return k[a] - k[b];
    return 0;
  };
  if (keys.length > 0) {
    for (let s = 0; s < nSessions; s++) {
      // Logs are usually in time order already: only sort the sessions that are not.
      let sorted = true;
      for (let p = offsets[s] + 1; p < offsets[s + 1] && sorted; p++) {
        sorted = compare(order[p - 1], order[p]) <= 0;
      }
      if (sorted) continue;
      // Array.prototype.sort is stable: equal keys keep file order.
      const seg = Array.from(order.subarray(offsets[s], offsets[s + 1]));
      seg.sort(compare);
      order.set(seg, offsets[s]);
    }
  }
  const outItems = new Int32Array(order.length);
  const outTimes = times ? new Float64Array(order.length) : undefined;
  for (let p = 0; p < order.length; p++) {
    outItems[p] = items[order[p]];
    if (outTimes && times) outTimes[p] = times[order[p]];
  }
  return {
    nSessions,
    nItems: itemIds.size,
    offsets,
    items: outItems,
    ...(outTimes ? { timestamps: outTimes } : {}),
    sessionIds: sessionIds.build(),
    itemIds: itemIds.build(),
  };
}
