/**
 * How "why recommended" by random-walk paths reads, in the CLI and in the embeddings panel
 * (a leaf: the webview bundles it).
 */

/** How a path's probability is computed, in words, for a list's footnote. */
export const PATHS_EXPLAINED =
  'the 3-step paths you -> an item you have -> another user who has it -> the recommended item, each weighted by its probability 1/deg(you) · 1/deg(item) · 1/deg(user) (the random walk P3alpha sums)';

/** "Return of the Jedi (42% of paths), Empire Strikes Back (18%)": the reasons as a phrase. */
export function becausePhrase(reasons: readonly { name: string; share: number }[]): string {
  return reasons
    .map((r, k) => `${r.name} (${percent(r.share)}${k === 0 ? ' of paths' : ''})`)
    .join(', ');
}

/** A share as a whole percentage; "<1%" rather than a misleading 0%. */
function percent(share: number): string {
  const p = Math.round(100 * share);
  return p === 0 && share > 0 ? '<1%' : `${p}%`;
}
