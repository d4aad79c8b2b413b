/**
 * `reclab recommend --explain`: beside each recommended item, the user's items that carry most
 * of its random-walk paths, and the most probable paths, with titles where the dataset has them.
 */
import type { RecommendationPaths } from '../runs/explainRecommendations.js';
import { becausePhrase, PATHS_EXPLAINED } from '../runs/pathsText.js';

const named = (id: string, label?: string) => (label ? `${label} (${id})` : id);

/** The lines printed under the top-K table, one block per item, in rank order. */
export function explainLines(explained: readonly RecommendationPaths[]): string[] {
  const out = ['', `why, by random-walk paths: ${PATHS_EXPLAINED}`];
  explained.forEach((e, r) => {
    out.push(
      `${r + 1}. ${named(e.item, e.label)}: ${e.pathCount.toLocaleString('en-US')} paths, walk probability ${e.probability.toPrecision(3)}`,
    );
    if (e.pathCount === 0) {
      out.push('   no 3-step path: no user shares an item with this user and has this item');
      return;
    }
    out.push(
      `   because you liked ${becausePhrase(e.because.map((b) => ({ name: b.label ?? b.item, share: b.share })))}`,
    );
    for (const p of e.paths)
      out.push(
        `   you -> ${named(p.via, p.viaLabel)} -> user ${p.user} -> ${e.label ?? e.item}: ${p.probability.toPrecision(3)}`,
      );
  });
  return out;
}
