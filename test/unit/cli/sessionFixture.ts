/** A tiny session log in DIGINETICA's layout, for the sessions:<file> tests. */

/**
 * DIGINETICA's layout. Sessions 0..29 on day floor(s / 2) (days 0..14), events s%6, (s+1)%6,
 * (s+2)%6 and an item seen once; session 30 has one event. SR-GNN: the split is day 14 - 7 = 7,
 * sessions 0..15 train (16, 48 events), 16..29 test (14, 42 events), 6 items; dropped: session
 * 30 and the 30 rare items' events (31 events). Rows are listed with their timeframes reversed:
 * the order column, not the file, orders a session.
 */
export function sessionLogFixture(): string {
  const lines = ['session_id;user_id;item_id;timeframe;eventdate'];
  const date = (d: number) => new Date(Date.UTC(2016, 4, 1 + d)).toISOString().slice(0, 10);
  for (let s = 0; s < 30; s++) {
    const items = [s % 6, (s + 1) % 6, `rare${s}`, (s + 2) % 6];
    for (let k = items.length - 1; k >= 0; k--)
      lines.push(`${s};NA;${items[k]};${1000 * k};${date(Math.floor(s / 2))}`);
  }
  lines.push(`30;NA;0;0;${date(3)}`);
  return lines.join('\n') + '\n';
}
