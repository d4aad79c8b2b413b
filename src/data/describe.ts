/**
 * describe(): the figures a user looks at first (size, density, degree distributions,
 * concentration, cold-start in the test part, activity over time) as a plain JSON-ready
 * object, and formatDescription() to print it as an aligned table.
 */
import {
  gini,
  log2Histogram,
  longTail,
  percentiles,
  type HistogramBin,
  type LongTailPoint,
  type Percentiles,
} from './stats.js';
import { idCounts } from './csr.js';
import { countRepeats } from './duplicates.js';
import type { Csr, Dataset, Interactions, Split } from './types.js';

export interface SplitDescription {
  readonly train: number;
  readonly valid?: number;
  readonly test: number;
  /** distinct users / items with a test interaction */
  readonly testUsers: number;
  readonly testItems: number;
  /** test users / items with no train interaction (a model cannot know them) */
  readonly coldUsers: number;
  readonly coldItems: number;
}

export interface DayCount {
  /** UTC date, YYYY-MM-DD */
  readonly day: string;
  readonly count: number;
}

/**
 * The structure of the user-item graph (computed in ../graph/structure.ts and handed to
 * describe(): this layer does not build graphs).
 */
export interface GraphStructure {
  readonly graph: 'user-item';
  readonly nodes: number;
  readonly edges: number;
  /** set when the graph was too large and a seeded sample of users was measured */
  readonly sampledUsers?: number;
  readonly totalUsers?: number;
  readonly components: number;
  /** components of one node: users or items without any interaction */
  readonly isolatedNodes: number;
  /** nodes of the largest component / all nodes */
  readonly largestComponentShare: number;
  /** Louvain communities and the partition's modularity */
  readonly communities: number;
  readonly modularity: number;
  readonly seconds: number;
}

export interface DatasetSummary {
  readonly name: string;
  readonly users: number;
  readonly items: number;
  readonly interactions: number;
  /** interactions that repeat a (user, item) pair (kept by keepDuplicates, or with ratings) */
  readonly duplicates: number;
  /** distinct (user, item) pairs / (users * items) */
  readonly density: number;
  readonly userDegree: Percentiles;
  readonly itemDegree: Percentiles;
  readonly giniUsers: number;
  readonly giniItems: number;
  readonly ratings?: { readonly min: number; readonly max: number; readonly mean: number };
  /** first and last interaction as ISO dates, when timestamps look like epoch seconds or ms */
  readonly timeRange?: { readonly first: string; readonly last: string; readonly days: number };
  readonly split?: SplitDescription;
  readonly structure?: GraphStructure;
  readonly kg?: {
    readonly entities: number;
    readonly relations: number;
    readonly triples: number;
    readonly linkedItems: number;
  };
  /** the user-user relation (friendships), when the dataset has one */
  readonly social?: SocialDescription;
  readonly notes?: readonly string[];
  /** one entry per day from the first to the last, zeros included */
  readonly interactionsPerDay?: readonly DayCount[];
  readonly userDegreeHistogram: readonly HistogramBin[];
  readonly itemDegreeHistogram: readonly HistogramBin[];
  readonly itemLongTail: readonly LongTailPoint[];
}

export interface SocialDescription {
  /** undirected edges */
  readonly friendships: number;
  /** users with at least one friend */
  readonly usersWithFriends: number;
  /** friends per user, over all users */
  readonly meanFriends: number;
  readonly maxFriends: number;
}

/** Counts of a symmetric user-user CSR (each undirected edge stored in both rows). */
export function describeSocial(social: Csr): SocialDescription {
  let usersWithFriends = 0;
  let maxFriends = 0;
  for (let u = 0; u < social.nRows; u++) {
    const d = social.indptr[u + 1] - social.indptr[u];
    if (d > 0) usersWithFriends++;
    if (d > maxFriends) maxFriends = d;
  }
  const stored = social.indptr[social.nRows];
  return {
    friendships: stored / 2,
    usersWithFriends,
    meanFriends: social.nRows > 0 ? stored / social.nRows : 0,
    maxFriends,
  };
}

function describeSplit(split: Split): SplitDescription {
  const trainUser = idCounts(split.train.nUsers, split.train.users);
  const trainItem = idCounts(split.train.nItems, split.train.items);
  const testUser = idCounts(split.test.nUsers, split.test.users);
  const testItem = idCounts(split.test.nItems, split.test.items);
  let testUsers = 0;
  let coldUsers = 0;
  for (let u = 0; u < testUser.length; u++) {
    if (testUser[u] === 0) continue;
    testUsers++;
    if (!trainUser[u]) coldUsers++;
  }
  let testItems = 0;
  let coldItems = 0;
  for (let i = 0; i < testItem.length; i++) {
    if (testItem[i] === 0) continue;
    testItems++;
    if (!trainItem[i]) coldItems++;
  }
  return {
    train: split.train.users.length,
    ...(split.valid ? { valid: split.valid.users.length } : {}),
    test: split.test.users.length,
    testUsers,
    testItems,
    coldUsers,
    coldItems,
  };
}

const DAY = 86400;

/** Seconds since the epoch, when the values look like epoch seconds or milliseconds. */
function epochSeconds(t: Float64Array): ((v: number) => number) | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < t.length; k++) {
    if (t[k] < min) min = t[k];
    if (t[k] > max) max = t[k];
  }
  // 1e8 s is 1973 and 1e11 s the year 5138: outside that, try milliseconds, else give up
  // (the source's own time unit, e.g. an ordinal step, has no calendar).
  if (min >= 1e8 && max < 1e11) return (v) => v;
  if (min >= 1e11 && max < 1e14) return (v) => v / 1000;
  return undefined;
}

function isoDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function perDay(t: Float64Array, toSeconds: (v: number) => number): DayCount[] {
  let first = Infinity;
  let last = -Infinity;
  for (let k = 0; k < t.length; k++) {
    const d = Math.floor(toSeconds(t[k]) / DAY);
    if (d < first) first = d;
    if (d > last) last = d;
  }
  const counts = new Int32Array(last - first + 1);
  for (let k = 0; k < t.length; k++) counts[Math.floor(toSeconds(t[k]) / DAY) - first]++;
  return Array.from(counts, (count, k) => ({ day: isoDay((first + k) * DAY), count }));
}

function ratingStats(r: Float32Array): { min: number; max: number; mean: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let k = 0; k < r.length; k++) {
    if (r[k] < min) min = r[k];
    if (r[k] > max) max = r[k];
    sum += r[k];
  }
  return { min, max, mean: sum / r.length };
}

/**
 * Figures of a dataset and, when given, of a split of it and of its graph's structure. Plain
 * data: JSON.stringify works.
 */
export function describe(
  dataset: Dataset,
  split?: Split,
  structure?: GraphStructure,
): DatasetSummary {
  const x: Interactions = dataset.interactions;
  const n = x.users.length;
  const userDeg = idCounts(x.nUsers, x.users);
  const itemDeg = idCounts(x.nItems, x.items);
  const t = x.timestamps && n > 0 ? x.timestamps : undefined;
  const toSeconds = t ? epochSeconds(t) : undefined;
  const days = t && toSeconds ? perDay(t, toSeconds) : undefined;
  const kg = dataset.kg;
  const duplicates = countRepeats(x);
  return {
    name: dataset.name,
    users: x.nUsers,
    items: x.nItems,
    interactions: n,
    duplicates,
    density: x.nUsers > 0 && x.nItems > 0 ? (n - duplicates) / (x.nUsers * x.nItems) : 0,
    userDegree: percentiles(userDeg),
    itemDegree: percentiles(itemDeg),
    giniUsers: gini(userDeg),
    giniItems: gini(itemDeg),
    ...(x.ratings && n > 0 ? { ratings: ratingStats(x.ratings) } : {}),
    ...(days
      ? { timeRange: { first: days[0].day, last: days[days.length - 1].day, days: days.length } }
      : {}),
    ...(split ? { split: describeSplit(split) } : {}),
    ...(structure ? { structure } : {}),
    ...(kg
      ? {
          kg: {
            entities: kg.nEntities,
            relations: kg.nRelations,
            triples: kg.heads.length,
            linkedItems: kg.itemEntity.reduce((s, e) => s + (e >= 0 ? 1 : 0), 0),
          },
        }
      : {}),
    ...(dataset.social ? { social: describeSocial(dataset.social) } : {}),
    ...(dataset.notes && dataset.notes.length > 0 ? { notes: dataset.notes } : {}),
    ...(days ? { interactionsPerDay: days } : {}),
    userDegreeHistogram: log2Histogram(userDeg),
    itemDegreeHistogram: log2Histogram(itemDeg),
    itemLongTail: longTail(itemDeg),
  };
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const num = (v: number): string => (Number.isInteger(v) ? int(v) : v.toFixed(1));
const pct = (v: number): string => `${(v * 100).toPrecision(3)}%`;

/** Aligns rows of cells: the first column left, the others right (or left when asked). */
function table(rows: readonly (readonly string[])[], left = false): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, j) => (j === 0 || left ? c.padEnd(widths[j]) : c.padStart(widths[j])))
      .join('  ')
      .trimEnd(),
  );
}

/** Share of interactions held by the top 20% of items, read off the long-tail curve. */
function top20Share(d: DatasetSummary): number | undefined {
  const p = d.itemLongTail.find((q) => q.itemShare >= 0.2);
  return p?.interactionShare;
}

function structureFacts(g: GraphStructure): string[][] {
  const sample =
    g.sampledUsers !== undefined
      ? ` (a sample of ${int(g.sampledUsers)} of ${int(g.totalUsers ?? 0)} users)`
      : '';
  return [
    ['graph', `${int(g.nodes)} nodes, ${int(g.edges)} edges${sample}`],
    [
      'components',
      `${int(g.components)} (largest holds ${pct(g.largestComponentShare)} of nodes; ${int(g.isolatedNodes)} isolated)`,
    ],
    [
      'communities',
      `${int(g.communities)} (Louvain, modularity ${g.modularity.toFixed(3)}; ${g.seconds.toFixed(1)} s)`,
    ],
  ];
}

/** The description as aligned plain text for a terminal. */
export function formatDescription(d: DatasetSummary): string {
  const facts: string[][] = [
    ['dataset', d.name],
    ['users', int(d.users)],
    ['items', int(d.items)],
    [
      'interactions',
      d.duplicates > 0
        ? `${int(d.interactions)} (${int(d.interactions - d.duplicates)} distinct (user, item) pairs, ${int(d.duplicates)} repeats)`
        : int(d.interactions),
    ],
    ['density', pct(d.density)],
    ['gini (users / items)', `${d.giniUsers.toFixed(3)} / ${d.giniItems.toFixed(3)}`],
  ];
  const top = top20Share(d);
  if (top !== undefined) facts.push(['top 20% items hold', pct(top)]);
  if (d.ratings)
    facts.push([
      'ratings',
      `${num(d.ratings.min)} .. ${num(d.ratings.max)}, mean ${d.ratings.mean.toFixed(2)}`,
    ]);
  if (d.timeRange)
    facts.push([
      'time',
      `${d.timeRange.first} .. ${d.timeRange.last} (${int(d.timeRange.days)} days)`,
    ]);
  if (d.kg) {
    facts.push([
      'knowledge graph',
      `${int(d.kg.entities)} entities, ${int(d.kg.relations)} relations, ${int(d.kg.triples)} triples, ${int(d.kg.linkedItems)} linked items`,
    ]);
  }
  if (d.social) {
    const f = d.social;
    facts.push([
      'friendships',
      `${int(f.friendships)} undirected, ${int(f.usersWithFriends)} users with friends, ${f.meanFriends.toFixed(1)} friends per user (max ${int(f.maxFriends)})`,
    ]);
  }
  if (d.structure) facts.push(...structureFacts(d.structure));
  const keys = ['min', 'p25', 'p50', 'p75', 'p90', 'p99', 'max', 'mean'] as const;
  const degreeRows = [
    ['degree', ...keys],
    ['users', ...keys.map((k) => num(d.userDegree[k]))],
    ['items', ...keys.map((k) => num(d.itemDegree[k]))],
  ];
  const out = [...table(facts, true), '', ...table(degreeRows)];
  if (d.split) {
    const s = d.split;
    const rows = [
      ['split', 'interactions', 'share'],
      ['train', int(s.train), pct(s.train / Math.max(1, d.interactions))],
      ...(s.valid !== undefined
        ? [['valid', int(s.valid), pct(s.valid / Math.max(1, d.interactions))]]
        : []),
      ['test', int(s.test), pct(s.test / Math.max(1, d.interactions))],
    ];
    out.push('', ...table(rows));
    out.push(
      `test users ${int(s.testUsers)} (cold: ${int(s.coldUsers)}), test items ${int(s.testItems)} (cold: ${int(s.coldItems)})`,
    );
  }
  for (const note of d.notes ?? []) out.push(`note: ${note}`);
  return out.join('\n');
}
