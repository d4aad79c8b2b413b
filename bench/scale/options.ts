/**
 * The options of `npm run bench -- scale` and of each point's process, checked once (a bad
 * value stops the bench before any data is generated), and the figures a point reports.
 */
import { MIN_GOWALLA_LIKE } from '../../src/data/synth.js';
import { InputError } from '../../src/util/errors.js';

export interface PointOptions {
  readonly epochs: number;
  readonly threads: number;
  readonly seed: number;
  /** test users to rank; Infinity: all of them */
  readonly evalUsers: number;
  /** stop an epoch after this many seconds and extrapolate (0: full epochs) */
  readonly maxEpochSeconds: number;
}

/** What one point measured: the elements of the bench's {"points": [...]}. */
export interface ScalePoint {
  readonly interactions: number;
  readonly users: number;
  readonly items: number;
  readonly trainInteractions: number;
  /** seconds a training epoch, the mean over the epochs run */
  readonly epochSeconds: number;
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  /** set when --max-epoch-seconds cut the epoch: epochSeconds is extrapolated from these */
  readonly epochEstimatedFromBatches?: number;
  readonly evalSeconds: number;
  readonly evalUsers: number;
  /** set when a seeded sample of the test users was ranked (--eval-users): all of them */
  readonly evalUsersSampledFrom?: number;
  readonly 'recall@20': number;
  readonly 'ndcg@20': number;
  readonly generateSeconds: number;
  readonly setupSeconds: number;
  readonly peakRssMB: number;
}

/** Each option of a point as the command line gives it, with its default. */
export const POINT_DEFAULTS = {
  epochs: '1',
  threads: '2',
  seed: '2020',
  'eval-users': 'all',
  'max-epoch-seconds': '0',
};

function integerAtLeast(min: number, option: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min)
    throw new InputError({ file: `--${option}`, text }, `an integer >= ${min}`);
  return n;
}

/** --points 0.1,1,3,10: millions of interactions -> interaction counts. */
export function parsePoints(text: string): number[] {
  const points = text.split(',').map((p) => Math.round(Number(p) * 1e6));
  if (!points.every((n) => Number.isFinite(n) && n >= MIN_GOWALLA_LIKE))
    throw new InputError(
      { file: '--points', text },
      `comma-separated millions of interactions, each at least ${MIN_GOWALLA_LIKE / 1e6}, e.g. 0.1,1,3,10`,
    );
  return points;
}

export function parsePointOptions(given: Partial<typeof POINT_DEFAULTS>): PointOptions {
  const args = { ...POINT_DEFAULTS, ...given };
  const evalUsers = args['eval-users'];
  const maxEpochSeconds = Number(args['max-epoch-seconds']);
  if (!(maxEpochSeconds >= 0))
    throw new InputError(
      { file: '--max-epoch-seconds', text: args['max-epoch-seconds'] },
      'a number of seconds >= 0 (0: full epochs)',
    );
  return {
    epochs: integerAtLeast(1, 'epochs', args.epochs),
    threads: integerAtLeast(1, 'threads', args.threads),
    seed: integerAtLeast(0, 'seed', args.seed),
    evalUsers: evalUsers === 'all' ? Infinity : integerAtLeast(1, 'eval-users', evalUsers),
    maxEpochSeconds,
  };
}

/** The options again as command-line arguments, for a point's process. */
export function pointArgs(o: PointOptions): string[] {
  return [
    ...['--epochs', String(o.epochs), '--threads', String(o.threads), '--seed', String(o.seed)],
    ...['--eval-users', o.evalUsers === Infinity ? 'all' : String(o.evalUsers)],
    ...['--max-epoch-seconds', String(o.maxEpochSeconds)],
  ];
}
