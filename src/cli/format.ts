/** Plain-text output for people: aligned tables, metric formatting, a progress line. */

export function formatTable(
  header: string[],
  rows: (string | number)[][],
  align?: ('l' | 'r')[],
): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  const line = (r: string[]) =>
    r
      .map((c, i) => (a[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function fmtMetric(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '-' : v.toFixed(4);
}

export function fmtSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

/** Orders metric keys as people read them: by metric family, then by K. */
export function sortMetricKeys(keys: string[]): string[] {
  const order = ['recall', 'ndcg', 'precision', 'hit', 'mrr', 'map', 'coverage', 'avgpop', 'gini'];
  const rank = (k: string) => {
    const [name, at] = k.split('@');
    const i = order.indexOf(name);
    return [i < 0 ? order.length : i, Number(at ?? 0)] as const;
  };
  return [...keys].sort((x, y) => {
    const [a1, a2] = rank(x);
    const [b1, b2] = rank(y);
    return a1 - b1 || a2 - b2 || x.localeCompare(y);
  });
}

/** A one-line progress bar on stderr, only when stderr is a terminal. */
export class ProgressLine {
  private last = 0;
  private readonly enabled = Boolean(process.stderr.isTTY);

  /** `total` 0 when unknown; `show` formats the counts (default `done/total`). */
  update(
    label: string,
    done: number,
    total: number,
    show: (done: number, total: number) => string = (d, t) => `${d}/${t}`,
  ): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && (total <= 0 || done < total)) return;
    this.last = now;
    const width = 30;
    const fill = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
    process.stderr.write(
      `\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${show(done, total)}\x1b[K`,
    );
  }

  clear(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}
