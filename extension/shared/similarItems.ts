/**
 * "Similar items": an item's neighbours in the item-item graph of a run's training split
 * (the r-normalised co-occurrence graph, pruned to top-k per row, built in the job worker).
 * Pure and DOM-free: the host answers an item click or the command from one cached graph.
 */
import type { ItemGraphData, ItemDetail, SimilarItem } from './messages.js';

export { itemLabels } from '../../src/data/itemLabels.js';

/** An item's id with its label where it has one: "i42 (Radiohead)". */
export function itemText(item: string, label?: string): string {
  return label ? `${item} (${label})` : item;
}

/** Item `index`'s kept neighbours, heaviest first (ties to the lower index), at most `k`. */
export function similarItems(g: ItemGraphData, index: number, k = Infinity): SimilarItem[] {
  if (!Number.isInteger(index) || index < 0 || index >= g.ids.length) return [];
  const out: SimilarItem[] = [];
  for (let p = g.indptr[index]; p < g.indptr[index + 1]; p++) {
    const j = g.indices[p];
    const label = g.labels?.[j];
    out.push({ item: g.ids[j], index: j, weight: g.weights[p], ...(label ? { label } : {}) });
  }
  out.sort((a, b) => b.weight - a.weight || a.index - b.index);
  return out.slice(0, k);
}

/** The detail panel's answer for item `index`. */
export function itemDetail(g: ItemGraphData, index: number, k = Infinity): ItemDetail {
  const label = g.labels?.[index];
  return {
    item: g.ids[index] ?? `#${index}`,
    itemIndex: index,
    ...(label ? { label } : {}),
    similar: similarItems(g, index, k),
  };
}

/** The item a user typed: its id, else its label (case-insensitive), else `#index`. */
export function findItem(g: ItemGraphData, query: string): number | undefined {
  const q = query.trim();
  if (!q) return undefined;
  const byId = g.ids.indexOf(q);
  if (byId >= 0) return byId;
  const lower = q.toLowerCase();
  const byLabel = g.labels?.findIndex((l) => l !== '' && l.toLowerCase() === lower) ?? -1;
  if (byLabel >= 0) return byLabel;
  const byIndex = /^#(\d+)$/.exec(q);
  const i = byIndex ? Number(byIndex[1]) : -1;
  return i >= 0 && i < g.ids.length ? i : undefined;
}

/** Feature columns that sort items into kinds, best first (fields read without `:type`). */
const CATEGORY_COLUMNS = ['genre', 'genres', 'class', 'category', 'categories', 'tag'];

/**
 * A categorical item field to colour by, one value per internal id: the first of an item's
 * genres ("Action|Adventure", or RecBole's space-separated token_seq "Animation Comedy"),
 * '' where it has none; undefined when the table has no such column.
 */
export function itemCategory(features?: {
  readonly columns: readonly string[];
  readonly values: Readonly<Record<string, readonly string[]>>;
}): { name: string; values: string[] } | undefined {
  if (!features) return undefined;
  const bare = (c: string) => c.replace(/:.*$/, '').toLowerCase();
  for (const want of CATEGORY_COLUMNS) {
    const col = features.columns.find((c) => bare(c) === want);
    const values = col === undefined ? undefined : features.values[col];
    if (!values || !values.some((v) => v.trim() !== '')) continue;
    const first = (v: string) => (v.includes('|') ? v.split('|') : v.trim().split(/\s+/))[0].trim();
    const name = want === 'class' || want.startsWith('genre') ? 'genre' : want;
    return { name, values: values.map(first) };
  }
  return undefined;
}
