/**
 * Coalesces bursts of change events into few refreshes. A run writes several files an epoch and
 * reports every batch; a debounce that restarted on each event would hold a view still for as
 * long as the run goes on, so a pending refresh is kept, never pushed back.
 *   trailing (default): the first call starts a window of delayMs, f runs once at its end.
 *   leading: f runs at once, and once more at the end of the window if called during it (then a
 *     new window starts): for VS Code's tree views, which debounce their change events too.
 */
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending = false;

  constructor(
    private readonly f: () => void,
    private readonly delayMs: number,
    private readonly edge: 'trailing' | 'leading' = 'trailing',
  ) {}

  /** Asks for f to run; `delayMs` overrides the window for a trailing call that starts one. */
  schedule(delayMs = this.delayMs): void {
    if (this.timer) {
      this.pending = true;
      return;
    }
    if (this.edge === 'trailing') {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pending = false;
        this.f();
      }, delayMs);
      return;
    }
    this.f();
    this.openWindow();
  }

  private openWindow(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.pending) return;
      this.pending = false;
      this.f();
      this.openWindow();
    }, this.delayMs);
  }

  /** Drops a pending run (after an immediate refresh, or when the owner goes away). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }

  dispose(): void {
    this.cancel();
  }
}
