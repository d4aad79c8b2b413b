/**
 * Learning-rate schedules over epochs, shared by the models that train with Adam. The rate
 * is a pure function of the epoch, so a run resumed from a checkpoint steps with the same
 * rates as an uninterrupted one.
 *   constant: lr every epoch (the papers' schedules)
 *   cosine:   lr_e = lrMin + (lr - lrMin) (1 + cos(pi (e - 1) / lrEpochs)) / 2 for
 *             e = 1..lrEpochs, then lrMin (Loshchilov & Hutter, "SGDR", ICLR 2017, eq. 5,
 *             without restarts)
 */
import { InputError } from '../util/errors.js';

export const LR_SCHEDULE_DEFAULTS = {
  /** "constant" or "cosine" */
  lrSchedule: 'constant',
  /** cosine: epochs over which lr falls to lrMin */
  lrEpochs: 0,
  /** cosine: the rate it falls to */
  lrMin: 0,
};

export interface LrScheduleHyper {
  readonly lr: number;
  readonly lrSchedule: string;
  readonly lrEpochs: number;
  readonly lrMin: number;
}

export type LearningRateAt = (epoch: number) => number;

/** Validates a model's schedule hyperparameters and returns epoch (1-based) -> rate. */
export function learningRateSchedule(hp: LrScheduleHyper, model: string): LearningRateAt {
  const file = `${model} hyperparameters`;
  if (!(hp.lr > 0)) throw new InputError({ file, text: `lr=${hp.lr}` }, 'lr to be > 0');
  if (hp.lrSchedule === 'constant') return () => hp.lr;
  if (hp.lrSchedule !== 'cosine')
    throw new InputError(
      { file, text: `lrSchedule=${hp.lrSchedule}` },
      'lrSchedule one of constant, cosine',
    );
  const { lr, lrEpochs, lrMin } = hp;
  if (!Number.isInteger(lrEpochs) || lrEpochs < 1)
    throw new InputError(
      { file, text: `lrEpochs=${lrEpochs}` },
      'lrEpochs to be an integer >= 1 with lrSchedule "cosine" (the epochs over which lr falls)',
    );
  if (!(lrMin >= 0 && lrMin <= lr))
    throw new InputError({ file, text: `lrMin=${lrMin}` }, `lrMin between 0 and lr (${lr})`);
  return (epoch) => {
    if (epoch > lrEpochs) return lrMin;
    // SGDR eq. 5 with T_cur = epoch - 1, T_i = lrEpochs
    return lrMin + ((lr - lrMin) * (1 + Math.cos((Math.PI * (epoch - 1)) / lrEpochs))) / 2;
  };
}

/**
 * Whether a run's recorded rates change over its epochs (a schedule worth charting or
 * printing). Epochs saved before runs recorded their rate have none: not a change of rate.
 */
export function rateChanges(epochs: readonly { readonly lr?: number }[]): boolean {
  return new Set(epochs.flatMap((e) => (e.lr === undefined ? [] : [e.lr]))).size > 1;
}
