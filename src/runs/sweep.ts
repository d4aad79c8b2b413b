/**
 * Sweeps: an experiment file's `"sweep"` expanded into concrete experiments, every point checked
 * before the first one trains.
 *
 *   "sweep": { "hyper.lr": [1e-3, 5e-3], "model": ["mf", "lightgcn"], "seed": [1, 2, 3] }
 *       a grid: every combination, in the order the keys are written (12 points here)
 *   "sweep": { "hyper.lr": { "min": 1e-4, "max": 1e-2, "log": true }, "hyper.dim": [32, 64],
 *              "search": "random", "budget": 10, "seed": 7 }
 *       seeded random search: `budget` draws, each value uniform over its list or range (log:
 *       uniform in log space; integer: whole numbers), drawn by the seed given as a number
 *       (default: the experiment's seed). A list of seeds ("seed": [1, 2, 3]) is crossed with
 *       every draw instead: each configuration trained once per seed.
 *
 * Keys: model, dataset, seed, epochs, evalEvery, patience and hyper.<name>. A point's run name
 * is `<name>@<key>=<value>,...` (hyper. left out), and its key a digest of its experiment, so a
 * sweep run again skips the points it already finished (see runSweep.ts).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { Rng } from '../util/rng.js';
import { canonicalJson } from '../util/canonicalJson.js';
import { InputError } from '../util/errors.js';
import { modelEntry, resolveHyper } from '../models/registry.js';
import {
  checkExperiment,
  datasetLabel,
  parseExperiment,
  resolveExperiment,
  type ExperimentConfig,
} from './experiment.js';

export type SweepValue = number | string | boolean;

export interface SweepRange {
  readonly min: number;
  readonly max: number;
  /** uniform in log space (min > 0) */
  readonly log?: boolean;
  /** whole numbers only */
  readonly integer?: boolean;
}

/** The `"sweep"` object of an experiment file (the schema checks its shape). */
export interface SweepSpec {
  readonly search?: 'grid' | 'random';
  readonly budget?: number;
  readonly [axis: string]: readonly SweepValue[] | SweepRange | SweepValue | undefined;
}

export interface SweepPoint {
  /** 0-based position in the sweep */
  readonly index: number;
  /** the swept keys and this point's values, in the file's key order */
  readonly values: Readonly<Record<string, SweepValue>>;
  /** `lr=0.001,seed=1` */
  readonly label: string;
  /** a digest of the point's experiment (without its name): the same point, the same key */
  readonly key: string;
  readonly config: ExperimentConfig;
}

export interface Sweep {
  /** `<file stem>-<digest of the file's experiment>` */
  readonly id: string;
  readonly search: 'grid' | 'random';
  readonly points: readonly SweepPoint[];
}

const TOP_LEVEL_KEYS = ['model', 'dataset', 'seed', 'epochs', 'evalEvery', 'patience'];
const HYPER_KEY = /^hyper\.([A-Za-z_][A-Za-z0-9_]*)$/;
/** More points than this is a typo, not a plan: refused before anything runs. */
export const MAX_SWEEP_POINTS = 10_000;

type Axis = { key: string; values: readonly SweepValue[] } | { key: string; range: SweepRange };

function sha(value: unknown, length: number): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

const isRange = (v: unknown): v is SweepRange =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The sweep's axes and how to search them, or an InputError naming the file and the key. */
function readAxes(spec: SweepSpec, file: string, experimentSeed: number) {
  const search = spec.search ?? 'grid';
  const fail = (key: string, text: string, expected: string) =>
    new InputError({ file, text: `sweep ${key}: ${text}` }, expected);
  let searchSeed = experimentSeed;
  const axes: Axis[] = [];
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'search' || key === 'budget' || v === undefined) continue;
    if (key === 'seed' && typeof v === 'number') {
      if (search !== 'random')
        throw fail(key, String(v), 'a list of seeds in a grid sweep ("seed": [1, 2, 3])');
      searchSeed = v;
      continue;
    }
    if (!TOP_LEVEL_KEYS.includes(key) && !HYPER_KEY.test(key))
      throw fail(
        key,
        JSON.stringify(v),
        `a sweep key among ${TOP_LEVEL_KEYS.join(', ')} or hyper.<name>`,
      );
    if (Array.isArray(v)) {
      if (v.length === 0) throw fail(key, '[]', 'a non-empty list of values');
      axes.push({ key, values: v as SweepValue[] });
    } else if (isRange(v)) {
      if (key === 'seed' || !(key.startsWith('hyper.') || key === 'epochs'))
        throw fail(
          key,
          JSON.stringify(v),
          `a list of values for ${key} (ranges are for numbers: hyper.<name> or epochs)`,
        );
      if (search !== 'random')
        throw fail(
          key,
          JSON.stringify(v),
          'a list of values in a grid sweep (a range needs "search": "random")',
        );
      if (!(Number.isFinite(v.min) && Number.isFinite(v.max) && v.min <= v.max))
        throw fail(key, JSON.stringify(v), 'a range with finite min <= max');
      if (v.log && !(v.min > 0)) throw fail(key, JSON.stringify(v), 'a log range with min > 0');
      if (v.integer && Math.ceil(v.min) > Math.floor(v.max))
        throw fail(key, JSON.stringify(v), 'an integer range holding a whole number');
      axes.push({ key, range: v });
    } else throw fail(key, JSON.stringify(v), 'a list of values or a range {"min", "max", "log"}');
  }
  if (search === 'random' && !(Number.isInteger(spec.budget) && (spec.budget as number) >= 1))
    throw fail(
      'budget',
      String(spec.budget),
      'a budget: the number of random draws (an integer >= 1)',
    );
  if (search === 'grid' && spec.budget !== undefined)
    throw fail(
      'budget',
      String(spec.budget),
      'no budget in a grid sweep (every combination runs; "search": "random" draws a budget)',
    );
  if (axes.length === 0)
    throw new InputError({ file, text: 'sweep {}' }, 'a sweep with at least one key to vary');
  return { search, searchSeed, axes };
}

/** Every combination of the axes' values, the first axis slowest. */
function grid(axes: readonly Axis[]): Record<string, SweepValue>[] {
  let points: Record<string, SweepValue>[] = [{}];
  for (const a of axes) {
    if (!('values' in a)) continue;
    points = points.flatMap((p) => a.values.map((v) => ({ ...p, [a.key]: v })));
  }
  return points;
}

/** A value drawn from a range, kept to 3 significant digits so names and tables stay readable. */
function draw(r: SweepRange, rng: Rng): number {
  const u = rng.next();
  if (r.integer) {
    const lo = Math.ceil(r.min);
    const hi = Math.floor(r.max);
    if (r.log)
      return Math.min(
        hi,
        Math.max(lo, Math.round(Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))))),
      );
    return lo + Math.min(hi - lo, Math.floor(u * (hi - lo + 1)));
  }
  const x = r.log
    ? Math.exp(Math.log(r.min) + u * (Math.log(r.max) - Math.log(r.min)))
    : r.min + u * (r.max - r.min);
  return Math.min(r.max, Math.max(r.min, Number(x.toPrecision(3))));
}

function randomPoints(
  axes: readonly Axis[],
  budget: number,
  seed: number,
): Record<string, SweepValue>[] {
  const rng = new Rng(seed);
  // a list of seeds is crossed with every draw: each configuration trained once per seed
  const seeds = axes.find((a) => a.key === 'seed' && 'values' in a);
  const drawn = axes.filter((a) => a !== seeds);
  const out: Record<string, SweepValue>[] = [];
  for (let b = 0; b < budget; b++) {
    const p: Record<string, SweepValue> = {};
    for (const a of drawn)
      p[a.key] = 'values' in a ? a.values[rng.int(a.values.length)] : draw(a.range, rng);
    if (seeds && 'values' in seeds) for (const s of seeds.values) out.push({ ...p, seed: s });
    else out.push(p);
  }
  return out;
}

const shortKey = (key: string) => key.replace(/^hyper\./, '');

/** The experiment of one point: the file's experiment with the point's values put in. */
function pointConfig(
  base: ExperimentConfig,
  values: Record<string, SweepValue>,
  baseName: string,
  label: string,
) {
  const { sweep: _sweep, ...rest } = base;
  const hyper = { ...(base.hyper ?? {}) };
  const top: Record<string, SweepValue> = {};
  for (const [k, v] of Object.entries(values)) {
    const m = HYPER_KEY.exec(k);
    if (m) hyper[m[1]] = v;
    else top[k] = v;
  }
  return { ...rest, ...top, hyper, name: `${baseName}@${label}` } as Record<string, unknown>;
}

/** Checks a point as `reclab train` would check it; the error says which point. */
function checkPoint(
  config: Record<string, unknown>,
  label: string,
  file: string,
): ExperimentConfig {
  try {
    const parsed = parseExperiment(config, file);
    const entry = modelEntry(parsed.model);
    resolveHyper(entry, parsed.hyper, file);
    checkExperiment(resolveExperiment(parsed), file, entry.trainable);
    return parsed;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      { file, line: e.line, text: e.text ?? label },
      `${e.expected}, in sweep point ${label}`,
    );
  }
}

/**
 * The concrete experiments of an experiment file's sweep, each validated: a bad key, value or
 * combination is an InputError naming the file and the point before anything runs.
 */
export function expandSweep(c: ExperimentConfig, file: string): Sweep {
  if (!c.sweep) throw new InputError({ file }, 'a "sweep" object (see `reclab sweep --help`)');
  const experimentSeed = c.seed ?? 2020;
  const { search, searchSeed, axes } = readAxes(c.sweep, file, experimentSeed);
  const listed = axes.reduce((n, a) => n * ('values' in a ? a.values.length : 1), 1);
  const seeds = axes.find((a) => a.key === 'seed');
  const perDraw = seeds && 'values' in seeds ? seeds.values.length : 1;
  const count = search === 'grid' ? listed : (c.sweep.budget as number) * perDraw;
  if (count > MAX_SWEEP_POINTS)
    throw new InputError(
      { file, text: `${count} points` },
      `a sweep of at most ${MAX_SWEEP_POINTS} points`,
    );
  const raw =
    search === 'grid' ? grid(axes) : randomPoints(axes, c.sweep.budget as number, searchSeed);
  const varied = axes.map((a) => a.key);
  const baseName =
    c.name ?? `${varied.includes('model') ? 'sweep' : c.model}-${datasetLabel(c.dataset)}`;
  const points = raw.map((values, index) => {
    const label = varied.map((k) => `${shortKey(k)}=${values[k]}`).join(',');
    const config = checkPoint(pointConfig(c, values, baseName, label), label, file);
    const { name: _n, ...identity } = config;
    return { index, values, label, key: sha(identity, 16), config };
  });
  const stem = basename(file).replace(/(\.reclab)?\.json$/, '');
  return { id: `${stem}-${sha(c, 8)}`, search, points };
}
