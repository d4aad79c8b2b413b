/** Tiny DOM helpers: elements built with textContent only, so no data is ever parsed as HTML. */
type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function app(): HTMLElement {
  const el = document.getElementById('app');
  if (!el) throw new Error('missing #app');
  return el;
}

/**
 * Counts as integers with separators, figures of 1 and more with at most two decimals
 * (46.1, not 46.1000), and fractions such as metrics with `digits` decimals.
 */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 1) return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return v.toFixed(digits);
}

/** A message line at the top of the panel (errors keep what is already drawn below). */
export function banner(kind: 'error' | 'info', text: string): void {
  let el = document.getElementById('banner');
  if (!el) {
    el = h('div', { id: 'banner' });
    document.body.prepend(el);
  }
  el.className = `banner ${kind}`;
  el.textContent = text;
}

export function clearBanner(): void {
  document.getElementById('banner')?.remove();
}
