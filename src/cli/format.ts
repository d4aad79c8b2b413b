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

/** Where progress goes: stderr, or a fake one in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** default: process.stderr */
  readonly stream?: ProgressStream;
  /** milliseconds, default Date.now (tests inject a clock) */
  readonly now?: () => number;
  /** without a terminal, the longest silence between lines, in ms (default 10 s) */
  readonly everyMs?: number;
  /** how a rate reads, e.g. `12.5 batches/s`; without it the line shows no rate, only the ETA */
  readonly rate?: (perSecond: number) => string;
}

/**
 * Progress on stderr. On a terminal, one bar redrawn in place; otherwise (CI logs, a pipe, the
 * extension's output channel) a plain line whenever nothing else was printed for `everyMs`, so
 * long work is never silent. Both show the count, the rate and the time left.
 */
export class ProgressLine {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly tty: boolean;
  private readonly everyMs: number;
  private readonly rate: ((perSecond: number) => string) | undefined;
  private lastDraw = -Infinity;
  /** when the last line was printed, by us or by whoever called clear() */
  private lastOutput: number;
  /** the phase (label) being timed: when it began and how much was done then */
  private phase = { label: '', since: 0, done: 0, last: 0 };

  constructor(o: ProgressOptions = {}) {
    this.stream = o.stream ?? process.stderr;
    this.now = o.now ?? Date.now;
    this.tty = Boolean(this.stream.isTTY);
    this.everyMs = o.everyMs ?? 10_000;
    this.rate = o.rate;
    this.lastOutput = this.now();
  }

  /** `total` 0 when unknown; `show` formats the counts (default `done/total`). */
  update(
    label: string,
    done: number,
    total: number,
    show: (done: number, total: number) => string = (d, t) => `${d}/${t}`,
  ): void {
    const now = this.now();
    if (label !== this.phase.label || done < this.phase.last)
      this.phase = { label, since: now, done, last: done };
    this.phase.last = done;
    const counts = `${show(done, total)}${this.pace(now, done, total)}`;
    if (!this.tty) {
      if (now - this.lastOutput < this.everyMs) return;
      this.lastOutput = now;
      this.stream.write(`${label} ${counts}\n`);
      return;
    }
    if (now - this.lastDraw < 100 && (total <= 0 || done < total)) return;
    this.lastDraw = now;
    const width = 30;
    const fill = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
    this.stream.write(
      `\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${counts}\x1b[K`,
    );
  }

  /** Makes room for a line about to be printed (and counts it as output). */
  clear(): void {
    this.lastOutput = this.now();
    if (this.tty) this.stream.write('\r\x1b[K');
  }

  /** ", 12.5 batches/s, ETA 40.0s" from the pace since the phase began; "" before there is one. */
  private pace(now: number, done: number, total: number): string {
    const seconds = (now - this.phase.since) / 1000;
    const perSecond = seconds > 0 ? (done - this.phase.done) / seconds : 0;
    if (!(perSecond > 0)) return '';
    const rate = this.rate ? `, ${this.rate(perSecond)}` : '';
    const eta = total > done ? `, ETA ${fmtSeconds((total - done) / perSecond)}` : '';
    return `${rate}${eta}`;
  }
}
