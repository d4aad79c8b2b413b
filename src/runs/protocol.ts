/**
 * Which evaluation a run gets, from the dataset's kind, the split and the model:
 *  - next-item (eval/nextItem.ts): every held-out event ranked over all items after the events
 *    before it, nothing excluded; Recall@K and MRR@K. Session datasets (sessions:<file>: SR-GNN's
 *    given split, test sessions unseen in training, inputs uncut), and a next-item model
 *    (gru4rec) on a time-ordered leave-one-out split of user-item data (RecBole's sequential
 *    protocol: inputs cut to the last 50 items);
 *  - user-item full ranking (eval/evaluate.ts) for everything else.
 * Refusals come before any training, naming the experiment's source.
 */
import type { Dataset, Split } from '../data/types.js';
import { splitCases } from '../data/sequences.js';
import { parseDatasetSpec, type DatasetSpecOptions } from '../data/spec.js';
import { evaluateNextItem, type NextItemScorer } from '../eval/nextItem.js';
import type { ModelEntry } from '../models/registry.js';
import type { Recommender } from '../models/types.js';
import { InputError } from '../util/errors.js';
import type { SplitSpec } from './experiment.js';

export type EvaluationProtocol =
  | { readonly kind: 'user-item' }
  | {
      readonly kind: 'next-item';
      /** inputs cut to their last maxLength items */
      readonly maxLength: number;
      /** what the run's log says about it */
      readonly description: string;
    };

/** RecBole's MAX_ITEM_LIST_LENGTH default. */
export const RECBOLE_MAX_LENGTH = 50;

/** The metrics the next-item evaluator computes. */
const NEXT_ITEM_METRICS = ['recall', 'mrr'];

/** What the protocol needs to know of a dataset; a spec string tells the kind before loading. */
export type DataShape = Pick<Dataset, 'kind' | 'sources' | 'name'> & {
  readonly interactions?: { readonly timestamps?: Float64Array };
};

/** The dataset kind a spec names: known before loading (format 'auto' is never sessions). */
export function specKind(spec: string, options?: DatasetSpecOptions): Dataset['kind'] {
  return parseDatasetSpec(spec, options).format === 'sessions' ? 'sessions' : undefined;
}

export function evaluationProtocol(
  dataset: DataShape,
  split: SplitSpec,
  entry: ModelEntry,
  metric: string,
  source: string,
): EvaluationProtocol {
  const file = dataset.sources[0] ?? dataset.name;
  let protocol: EvaluationProtocol = { kind: 'user-item' };
  if (dataset.kind === 'sessions') {
    if (split.type !== 'given')
      throw new InputError(
        { file: source, text: `split ${split.type}` },
        `the given split for a session dataset (${file}: SR-GNN's last 7 days)`,
      );
    if (!entry.nextItem)
      throw new InputError(
        { file: source, text: `model ${entry.name}` },
        `a next-item model for a session dataset (${file}): gru4rec`,
      );
    protocol = {
      kind: 'next-item',
      maxLength: Infinity,
      description: 'next-item: every event of the test sessions after their first, over all items',
    };
  } else if (entry.nextItem && split.type === 'loo' && isTimeOrdered(dataset, split)) {
    protocol = {
      kind: 'next-item',
      maxLength: RECBOLE_MAX_LENGTH,
      description: `next-item (RecBole's sequential protocol): each user's last item after the ${RECBOLE_MAX_LENGTH} before it, over all items, nothing excluded`,
    };
  }
  if (protocol.kind === 'next-item' && !NEXT_ITEM_METRICS.includes(metric.split('@')[0]))
    throw new InputError(
      { file: source, text: `metric ${metric}` },
      `a next-item metric (${NEXT_ITEM_METRICS.map((m) => `${m}@K`).join(', ')})`,
    );
  return protocol;
}

/** The order a leave-one-out split takes (split.ts): by time where the data has timestamps. */
function isTimeOrdered(dataset: DataShape, split: SplitSpec & { type: 'loo' }): boolean {
  return (split.order ?? (dataset.interactions?.timestamps ? 'time' : 'random')) === 'time';
}

export function isNextItemScorer(model: Recommender): model is Recommender & NextItemScorer {
  return typeof (model as Partial<NextItemScorer>).scoreNext === 'function';
}

/** Next-item metrics of a split's validation or test part. */
export async function evaluateSplitNextItem(
  model: NextItemScorer,
  split: Split,
  target: 'valid' | 'test',
  ks: readonly number[],
  maxLength: number,
): Promise<{ metrics: Record<string, number>; seconds: number; cases: number }> {
  const cases = splitCases(split, target, maxLength);
  const r = await evaluateNextItem(model, cases, ks);
  return { metrics: r.metrics, seconds: r.seconds, cases: cases.targets.length };
}
