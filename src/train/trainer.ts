/**
 * The training loop every learning model shares: epochs of mini-batches, evaluation every N
 * epochs, early stopping on a chosen metric, best-checkpoint keeping, cancellation between
 * batches and a clear stop when the loss stops being a finite number.
 */
import { Rng } from '../util/rng.js';
import { TrainingError } from '../util/errors.js';

/**
 * What the loop needs of a model: the steps of an epoch. Models meet it through
 * models/types.ts's TrainableModel; it is declared here so training never imports models.
 */
export interface Trainable {
  /** Called before each epoch (1-based), e.g. to draw the epoch's training triples. */
  beginEpoch(epoch: number, rng: Rng): void | Promise<void>;
  /** Mini-batches in the epoch begun last. */
  batchesPerEpoch(): number;
  /** One optimisation step on mini-batch b (0-based) of the current epoch; returns its mean loss. */
  trainStep(b: number): number | Promise<number>;
  /** The optimizer's step size in the epoch begun last, for models with a rate schedule. */
  learningRate?(): number;
}

export class CancelledError extends TrainingError {
  override readonly name: string = 'CancelledError';
  constructor(readonly epoch: number) {
    super(`training cancelled during epoch ${epoch}`);
  }
}

export interface EpochRecord {
  readonly epoch: number;
  /** mean batch loss of the epoch */
  readonly loss: number;
  /** seconds spent training this epoch (evaluation excluded) */
  readonly seconds: number;
  /** the model's learning rate in this epoch, when it reports one */
  readonly lr?: number;
  /** metrics when the epoch was evaluated */
  readonly metrics?: Record<string, number>;
  readonly evalSeconds?: number;
  /** which split the metrics are on */
  readonly evaluatedOn?: 'valid' | 'test';
}

export interface BatchProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
}

export interface TrainLoopOptions {
  readonly epochs: number;
  /** evaluate every N epochs (0: never during training) */
  readonly evalEvery: number;
  /** stop after this many evaluations without improvement of `metric` (0: never) */
  readonly patience: number;
  /** metric that decides the best epoch, e.g. recall@20 */
  readonly metric: string;
  /**
   * whether evaluations choose a best epoch (and may stop early); false: they only draw the
   * curve, and neither `best`, `onBest` nor `patience` apply (default true)
   */
  readonly select?: boolean;
  /** run seed; epoch e samples with epochRng(seed, e), so a resumed run draws what it would have */
  readonly seed: number;
  /** when resuming: the first epoch still to run (default 1) */
  readonly firstEpoch?: number;
  /** when resuming: the best evaluation before firstEpoch */
  readonly best?: { readonly epoch: number; readonly metrics: Record<string, number> };
  readonly evaluate: () => Promise<{
    metrics: Record<string, number>;
    seconds: number;
    on: 'valid' | 'test';
  }>;
  readonly signal?: AbortSignal;
  readonly onBatch?: (p: BatchProgress) => void;
  readonly onEpoch?: (r: EpochRecord) => void | Promise<void>;
  /** called with the model right after an evaluation that improved the metric */
  readonly onBest?: (r: EpochRecord) => void | Promise<void>;
}

export interface TrainLoopResult {
  readonly history: EpochRecord[];
  readonly bestEpoch: number | undefined;
  readonly bestMetrics: Record<string, number> | undefined;
  readonly stoppedEarly: boolean;
}

/** The random stream of one epoch: independent of the epochs before it, so runs can resume. */
export function epochRng(seed: number, epoch: number): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch, 0x85ebca6b)) >>> 0);
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export async function trainLoop(model: Trainable, o: TrainLoopOptions): Promise<TrainLoopResult> {
  const history: EpochRecord[] = [];
  let best: { epoch: number; metrics?: Record<string, number> } | undefined =
    o.select === false ? undefined : o.best;
  let bestScore = o.best?.metrics[o.metric] ?? -Infinity;
  let sinceBest = 0;
  let stoppedEarly = false;
  for (let epoch = o.firstEpoch ?? 1; epoch <= o.epochs; epoch++) {
    const t0 = performance.now();
    await model.beginEpoch(epoch, epochRng(o.seed, epoch));
    const batches = model.batchesPerEpoch();
    let sum = 0;
    for (let b = 0; b < batches; b++) {
      // Cancellation and messages from the host are only seen when the loop yields.
      await yieldToEventLoop();
      if (o.signal?.aborted) throw new CancelledError(epoch);
      const loss = await model.trainStep(b);
      if (!Number.isFinite(loss)) {
        throw new TrainingError(
          `loss became ${loss} at epoch ${epoch}, batch ${b + 1} of ${batches}: ` +
            'the model diverged; lower the learning rate or raise the regularisation',
        );
      }
      sum += loss;
      o.onBatch?.({ epoch, epochs: o.epochs, batch: b + 1, batches, loss });
    }
    const seconds = (performance.now() - t0) / 1000;
    const lr = model.learningRate?.();
    let record: EpochRecord = {
      epoch,
      loss: batches ? sum / batches : 0,
      seconds,
      ...(lr !== undefined && { lr }),
    };
    const due = o.evalEvery > 0 && (epoch % o.evalEvery === 0 || epoch === o.epochs);
    if (due) {
      const ev = await o.evaluate();
      record = { ...record, metrics: ev.metrics, evalSeconds: ev.seconds, evaluatedOn: ev.on };
    }
    history.push(record);
    await o.onEpoch?.(record);
    if (record.metrics && o.select !== false) {
      const score = record.metrics[o.metric];
      if (score === undefined)
        throw new TrainingError(
          `early-stopping metric ${o.metric} is not among the evaluated metrics`,
        );
      if (score > bestScore) {
        bestScore = score;
        best = record;
        sinceBest = 0;
        await o.onBest?.(record);
      } else if (o.patience > 0 && ++sinceBest >= o.patience) {
        stoppedEarly = true;
        break;
      }
    }
  }
  return { history, bestEpoch: best?.epoch, bestMetrics: best?.metrics, stoppedEarly };
}
