/**
 * The dataset inspector's figure names: describe()'s keys ("userDegree.p99", "giniUsers",
 * "split.coldItems") as readable labels with a tooltip saying what each means, and values
 * rounded to what the figure needs. Keys not listed here still read as words.
 */

interface Known {
  readonly label: string;
  readonly tip: string;
}

const KNOWN: Readonly<Record<string, Known>> = {
  name: { label: 'Dataset', tip: 'the name the loader gave it' },
  users: { label: 'Users', tip: 'distinct users with at least one interaction' },
  items: { label: 'Items', tip: 'distinct items with at least one interaction' },
  interactions: { label: 'Interactions', tip: 'rows read (user, item pairs, repeats included)' },
  duplicates: { label: 'Repeated pairs', tip: 'interactions that repeat a (user, item) pair' },
  density: { label: 'Density', tip: 'distinct (user, item) pairs / (users × items)' },
  giniUsers: {
    label: 'Gini of user activity',
    tip: '0 when every user has as many interactions, towards 1 when a few users have most',
  },
  giniItems: {
    label: 'Gini of item popularity',
    tip: '0 when every item is as popular, towards 1 when a few items take most interactions',
  },
  'ratings.min': { label: 'Lowest rating', tip: 'the smallest rating value in the file' },
  'ratings.max': { label: 'Highest rating', tip: 'the largest rating value in the file' },
  'ratings.mean': { label: 'Mean rating', tip: 'the mean of the rating column' },
  'timeRange.first': { label: 'First interaction', tip: 'the earliest timestamp, as a date' },
  'timeRange.last': { label: 'Last interaction', tip: 'the latest timestamp, as a date' },
  'timeRange.days': { label: 'Days covered', tip: 'days from the first to the last interaction' },
  'split.train': { label: 'Train interactions', tip: 'interactions in the training file' },
  'split.valid': { label: 'Validation interactions', tip: 'interactions in the validation file' },
  'split.test': { label: 'Test interactions', tip: 'interactions in the test file' },
  'split.testUsers': { label: 'Test users', tip: 'users with at least one test interaction' },
  'split.testItems': { label: 'Test items', tip: 'items with at least one test interaction' },
  'split.coldUsers': {
    label: 'Cold test users',
    tip: 'test users with no training interaction: no model can know them',
  },
  'split.coldItems': {
    label: 'Cold test items',
    tip: 'test items with no training interaction: an embedding model never learnt them',
  },
  'structure.graph': { label: 'Graph', tip: 'the graph the structure figures are measured on' },
  'structure.nodes': { label: 'Graph nodes', tip: 'users plus items' },
  'structure.edges': { label: 'Graph edges', tip: 'distinct (user, item) pairs' },
  'structure.sampledUsers': {
    label: 'Users sampled',
    tip: 'the graph was large: structure was measured on a seeded sample of this many users',
  },
  'structure.totalUsers': { label: 'Users in all', tip: 'users the sample was drawn from' },
  'structure.components': {
    label: 'Connected components',
    tip: 'groups of nodes linked by interactions; 1 means everything is reachable',
  },
  'structure.isolatedNodes': {
    label: 'Isolated nodes',
    tip: 'users or items without any interaction',
  },
  'structure.largestComponentShare': {
    label: 'Largest component',
    tip: 'share of the nodes in the largest connected component',
  },
  'structure.communities': {
    label: 'Communities (Louvain)',
    tip: 'groups of users and items denser inside than between',
  },
  'structure.modularity': {
    label: 'Modularity',
    tip: 'how well the communities separate the graph: above 0.3 is a clear structure',
  },
  'structure.seconds': { label: 'Structure measured in (s)', tip: 'time the figures took' },
};

const STAT: Readonly<Record<string, string>> = {
  min: 'minimum',
  p25: '25th percentile',
  p50: 'median',
  p75: '75th percentile',
  p90: '90th percentile',
  p99: '99th percentile',
  max: 'maximum',
  mean: 'mean',
};

/** "largestComponentShare" -> "largest component share". */
const words = (k: string) => k.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** A figure's readable label and what it means. */
export function figureLabel(key: string): Known {
  const known = KNOWN[key];
  if (known) return known;
  const degree = /^(user|item)Degree\.(\w+)$/.exec(key);
  if (degree && STAT[degree[2]]) {
    const [who, of] =
      degree[1] === 'user' ? ['User', 'items per user'] : ['Item', 'users per item'];
    return {
      label: `${who} degree, ${STAT[degree[2]]}`,
      tip: `the ${STAT[degree[2]]} of the ${of} (interactions, repeats included)`,
    };
  }
  const parts = key.split('.').map(words);
  const label = parts.join(', ');
  return { label: label.charAt(0).toUpperCase() + label.slice(1), tip: key };
}

/**
 * A figure's value as the table shows it: counts with separators, shares as percentages,
 * other reals to three significant digits (734.62 -> 735, 0.45213 -> 0.452), tiny ones
 * (a density) in exponent form.
 */
export function figureValue(key: string, v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (/Share$/.test(key)) return `${(100 * v).toFixed(1)}%`;
  const a = Math.abs(v);
  if (a !== 0 && a < 0.01) return v.toExponential(2);
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(3)).toString();
}
