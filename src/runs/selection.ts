/**
 * Model selection that never looks at the test set unless told to. A run's split always has a
 * validation part when RecLab makes the split; the best epoch and early stopping look at it, and
 * the test set is evaluated once, at the selected epoch. Given train/test files without a
 * validation file (the papers' Gowalla protocol) get no selection: the last epoch is reported.
 * The papers' habit of reporting the best test epoch is an explicit choice (`selectOn: "test"`),
 * recorded in run.json and labelled wherever the number appears.
 */
import { InputError } from '../util/errors.js';
import type { SelectOn, SplitSpec } from './experiment.js';

/**
 * A two-part ratio or temporal split ([train, test]) gives this share of its training part to
 * validation: `ratio:0.8,0.2` is made as 0.72 / 0.08 / 0.2 (for a temporal split, the latest
 * 10% of the training period).
 */
export const VALID_SHARE_OF_TRAIN = 0.1;

/** The split RecLab makes by default: the dataset's files, else a random per-user 80/10/10. */
export const DEFAULT_RATIO_SPLIT: SplitSpec = { type: 'ratio', ratios: [0.8, 0.1, 0.1] };

/**
 * The split a new run uses, with a validation part wherever RecLab cuts the data: omitted means
 * the dataset's own files (when it has them) or 80/10/10; `loo` holds out each user's
 * second-to-last interaction for validation; two-part ratios carve validation from training.
 */
export function honestSplit(spec: SplitSpec | undefined, hasGivenFiles: boolean): SplitSpec {
  if (!spec) return hasGivenFiles ? { type: 'given' } : DEFAULT_RATIO_SPLIT;
  switch (spec.type) {
    case 'given':
      return spec;
    case 'loo':
      return { ...spec, valid: spec.valid ?? true };
    case 'ratio':
    case 'temporal':
      return { ...spec, ratios: withValidation(spec.ratios) };
  }
}

/**
 * The split a saved run was trained on: the one its run.json records (explicit since splits are
 * always resolved), else the default of the time, never re-resolved by today's rules.
 */
export function savedSplit(spec: SplitSpec | undefined, hasGivenFiles: boolean): SplitSpec {
  return spec ?? honestSplit(undefined, hasGivenFiles);
}

function withValidation(ratios: readonly number[]): number[] {
  if (ratios.length !== 2) return [...ratios];
  const [train, test] = ratios;
  const valid = round12(train * VALID_SHARE_OF_TRAIN);
  return [round12(train - valid), valid, test];
}

/** 0.8 * 0.1 is 0.08000000000000002 in binary: keep run.json readable. */
function round12(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}

/**
 * The selection a run uses: the requested one, else validation when the split has a
 * validation part and the last epoch when it has none. Asking for validation without one, or
 * for early stopping without anything to select on, is refused before any work.
 */
export function resolveSelection(
  o: { readonly selectOn?: SelectOn; readonly patience: number; readonly evalEvery?: number },
  hasValidation: boolean,
  source: string,
  trainable = true,
): SelectOn {
  // no evaluations during training: nothing to select from
  if (o.evalEvery === 0 && o.selectOn === undefined) return 'last';
  const on = o.selectOn ?? (hasValidation ? 'valid' : 'last');
  if (on === 'valid' && !hasValidation)
    throw new InputError(
      { file: source, text: 'selectOn valid' },
      'a split with a validation part to select on (given files need a validation file); or selectOn "last" (report the last epoch) or "test" (the papers\' best test epoch, labelled as such)',
    );
  if (on === 'last' && o.patience > 0)
    throw new InputError(
      { file: source, text: `patience ${o.patience}` },
      `patience 0 when the last epoch is reported: early stopping looks at ${hasValidation ? 'validation (selectOn "valid")' : 'a validation part, which this split has none of'}; or selectOn "test", labelled as selected on test`,
    );
  if (trainable && on !== 'last' && o.evalEvery === 0)
    throw new InputError(
      { file: source, text: 'evalEvery 0' },
      `evalEvery >= 1 to select the best epoch on ${on === 'valid' ? 'validation' : 'test'} (or selectOn "last")`,
    );
  return on;
}

/**
 * How runs saved before selection was recorded chose their epoch: on validation when the split
 * had one, else the best test epoch.
 */
export function legacySelection(hasValidation: boolean): SelectOn {
  return hasValidation ? 'valid' : 'test';
}

/** The label a number selected on test carries wherever it is shown. */
export const SELECTED_ON_TEST = '(selected on test)';

/** The label for a run summary's numbers, or '' when they were selected honestly. */
export function selectionLabel(summary: { readonly selectOn?: SelectOn } | undefined): string {
  return summary?.selectOn === 'test' ? SELECTED_ON_TEST : '';
}

/** How a summary's epoch was chosen, in words: "epoch 12, best on validation". */
export function describeSelection(summary: {
  readonly selectOn?: SelectOn;
  readonly selectedEpoch?: number;
  readonly epochsRun: number;
}): string {
  const epoch = summary.selectedEpoch ?? summary.epochsRun;
  switch (summary.selectOn) {
    case 'valid':
      return `epoch ${epoch}, best on validation`;
    case 'test':
      return `epoch ${epoch}, best on test ${SELECTED_ON_TEST}`;
    case 'last':
      return `epoch ${epoch}, the last (no validation part to select on)`;
    default:
      return `epoch ${epoch}`;
  }
}
