/**
 * The embedding plot's data and spec, DOM-free (unit-tested in Node): points from the
 * columnar projection, lookups by node and id, the marks of a selected user, the scatter spec.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  PROJECTION_LABELS,
  type EmbeddingProjection,
  type ItemDetail,
  type UserDetail,
} from '../../extension/shared/messages.js';

export interface Point {
  /** node index: users 0..nUsers-1, then items */
  readonly i: number;
  readonly x: number;
  readonly y: number;
  readonly type: 'user' | 'item';
  readonly id: string;
  readonly degree: number;
  /** its name from the dataset's metadata (a movie title, an artist), when it has one */
  readonly label?: string;
  /** its value of the metadata field to colour by (e.g. genre); "user" for users */
  readonly category?: string;
  /** its community's name on the plot, once communities are asked for (see withCommunities) */
  readonly community?: string;
  /** users: the selected user, their friend, or another user (see withFriends); items: item */
  readonly friendship?: Friendship;
}

export type Friendship = 'selected user' | 'friend' | 'other user' | 'item';
const FRIENDSHIPS: readonly Friendship[] = ['selected user', 'friend', 'other user', 'item'];

/** Categories given a colour of their own, most frequent first; the rest share "other". */
export const COLOURED_CATEGORIES = 12;

/** Columns to rows for vega (done here, in the webview, so the wire carries typed arrays). */
export function toPoints(p: EmbeddingProjection): Point[] {
  const out: Point[] = new Array<Point>(p.x.length);
  for (let k = 0; k < out.length; k++) {
    const i = p.nodes ? p.nodes[k] : k;
    const type = i < p.nUsers ? 'user' : 'item';
    const label = p.labels?.[k];
    const category = p.category && (type === 'user' ? 'user' : p.category.values[k] || 'none');
    out[k] = {
      i,
      x: p.x[k],
      y: p.y[k],
      type,
      id: p.ids[k] ?? String(i),
      degree: p.degree[k],
      ...(label ? { label } : {}),
      ...(category ? { category } : {}),
    };
  }
  return out;
}

/**
 * The points in drawing order: later ones are drawn over earlier ones, so with `usersOnTop`
 * the users (fewer, and the ones a user clicks for recommendations) come last.
 */
export function drawOrder(points: readonly Point[], usersOnTop: boolean): Point[] {
  const first = usersOnTop ? 'item' : 'user';
  return [...points.filter((p) => p.type === first), ...points.filter((p) => p.type !== first)];
}

/** How a point reads in lists and search results: "item 50 · Star Wars (1977)". */
export function pointText(p: Pick<Point, 'type' | 'id' | 'label'>): string {
  return `${p.type} ${p.id}${p.label ? ` · ${p.label}` : ''}`;
}

export interface SearchResult {
  readonly matches: Point[];
  /** how many points match in all (matches holds at most the limit) */
  readonly total: number;
  /** set when the query is a regular expression that does not compile */
  readonly error?: string;
}

/**
 * The points a search means, best first, at most `limit`: `#12` (a node index), `user:42` /
 * `item:7` (an id of that kind), `/regex/` (ids and labels, case-insensitive), or plain text:
 * points whose id is the text, then labels containing it (case-insensitive; labels starting
 * with it first, then by degree).
 */
export function searchPoints(points: readonly Point[], query: string, limit = 20): SearchResult {
  const q = query.trim();
  if (!q) return { matches: [], total: 0 };
  const exact = findPoint(points, q);
  if (/^#\d+$/.test(q) || /^(user|item):/.test(q)) {
    const m = exact ? [exact] : [];
    return { matches: m, total: m.length };
  }
  const re = /^\/(.+)\/([a-z]*)$/.exec(q);
  let test: (p: Point) => boolean;
  let rank: (p: Point) => number = () => 0;
  if (re) {
    let rx: RegExp;
    try {
      rx = new RegExp(re[1], re[2].includes('i') ? re[2] : `${re[2]}i`);
    } catch (e) {
      return { matches: [], total: 0, error: e instanceof Error ? e.message : String(e) };
    }
    test = (p) => rx.test(p.id) || (p.label !== undefined && rx.test(p.label));
  } else {
    const lower = q.toLowerCase();
    test = (p) => p.id === q || (p.label?.toLowerCase().includes(lower) ?? false);
    rank = (p) => (p.id === q ? 0 : p.label?.toLowerCase().startsWith(lower) ? 1 : 2);
  }
  const all = points.filter(test);
  all.sort((a, b) => rank(a) - rank(b) || b.degree - a.degree || a.i - b.i);
  return { matches: all.slice(0, limit), total: all.length };
}

/** Node index -> the point drawn for it, for the nodes on the plot (all, or the sample's). */
export function pointsByNode(points: readonly Point[]): Map<number, Point> {
  return new Map(points.map((p) => [p.i, p]));
}

/** "5,000 of 120,000 nodes (a sample stratified by users/items)" or "1,800 nodes". */
export function coverage(p: EmbeddingProjection): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const total = p.nUsers + p.nItems;
  return p.nodes && p.nodes.length < total
    ? `${n(p.nodes.length)} of ${n(total)} nodes (a sample stratified by users/items)`
    : `${n(total)} nodes`;
}

function axisTitles(p: EmbeddingProjection): [string, string] {
  const ev = (v: number) => `${(100 * v).toFixed(1)}%`;
  if (p.method === 'pca') {
    const e = p.explained ?? [0, 0];
    return [`PC1 (${ev(e[0])})`, `PC2 (${ev(e[1])})`];
  }
  const name = PROJECTION_LABELS[p.method];
  return [`${name} 1`, `${name} 2`];
}

export type ColourBy = 'type' | 'degree' | 'community' | 'category' | 'friends';

/**
 * The points with their relation to the selected user (none selected: every user "other
 * user"), in drawing order: items, other users, then the friends and the user on top, so the
 * few points that matter are never hidden under the crowd.
 */
export function withFriends(
  points: readonly Point[],
  selectedUser: number | undefined,
  friends: readonly number[],
): Point[] {
  const isFriend = new Set(friends);
  const relation = (p: Point): Friendship =>
    p.type === 'item'
      ? 'item'
      : p.i === selectedUser
        ? 'selected user'
        : isFriend.has(p.i)
          ? 'friend'
          : 'other user';
  const rank = (f: Friendship) => 3 - FRIENDSHIPS.indexOf(f);
  return points
    .map((p) => ({ ...p, friendship: relation(p) }))
    .sort((a, b) => rank(a.friendship) - rank(b.friendship));
}

/** Communities given a colour of their own, largest first; the rest share one. */
export const COLOURED_COMMUNITIES = 10;
/**
 * The smallest share of the plot's points a community needs for a colour: Louvain makes every
 * node without training edges a community of its own (35 of ml-100k's 40), and ten colours
 * spent on single points leave the legend saying nothing.
 */
export const MIN_COMMUNITY_SHARE = 0.01;
/** Tableau 10, its grey (#bab0ac) swapped for a cyan: grey is "other" on this plot. */
const COMMUNITY_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#17becf',
];
export const OTHER_COMMUNITY = 'other';
export const UNSAMPLED = 'not in the sample';

/**
 * The points with their community's name: "C1 (412)" for the community with the most points on
 * the plot (412 of them), and so on up to `top` (ties to the lower community id) among those
 * holding at least `minShare` of the points; smaller ones "other", nodes the Louvain sample
 * left out "not in the sample". `community` is per node, -1 when left out. The sizes in the
 * names make the legend say how much each colour covers.
 */
export function withCommunities(
  points: readonly Point[],
  community: Int32Array,
  top = COLOURED_COMMUNITIES,
  minShare = MIN_COMMUNITY_SHARE,
): Point[] {
  const size = new Map<number, number>();
  let placed = 0;
  for (const p of points) {
    const c = community[p.i] ?? -1;
    if (c >= 0) size.set(c, (size.get(c) ?? 0) + 1);
    if (c >= 0) placed++;
  }
  const ranked = [...size]
    .filter(([, n]) => n >= minShare * placed)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, top);
  const name = new Map(ranked.map(([c, n], k) => [c, `C${k + 1} (${n.toLocaleString('en-US')})`]));
  return points.map((p) => {
    const c = community[p.i] ?? -1;
    return { ...p, community: c < 0 ? UNSAMPLED : (name.get(c) ?? OTHER_COMMUNITY) };
  });
}

/** 1 for "C1 (412)", the community with the most points; 0 for "other" and the rest. */
export function communityRank(name: string): number {
  const m = /^C(\d+) /.exec(name);
  return m ? Number(m[1]) : 0;
}

/** The colour scale's domain: the named communities on the plot, then "other", "not in the sample". */
function communityDomain(points: readonly Point[]): string[] {
  const named = new Set<string>();
  for (const p of points) if (p.community) named.add(p.community);
  const top = [...named]
    .filter((c) => communityRank(c) > 0)
    .sort((a, b) => communityRank(a) - communityRank(b));
  return [...top, ...[OTHER_COMMUNITY, UNSAMPLED].filter((c) => named.has(c))];
}

/** The category scale's domain: the most frequent item values, then "other", "none", "user". */
export function categoryDomain(points: readonly Point[], top = COLOURED_CATEGORIES): string[] {
  const count = new Map<string, number>();
  for (const p of points)
    if (p.category && p.type === 'item' && p.category !== 'none')
      count.set(p.category, (count.get(p.category) ?? 0) + 1);
  const ranked = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const named = ranked.slice(0, top).map(([c]) => c);
  const present = new Set(points.map((p) => p.category));
  return [
    ...named,
    ...(ranked.length > top ? [OTHER_COMMUNITY] : []),
    ...['none', 'user'].filter((c) => present.has(c)),
  ];
}

/** The points with categories outside the coloured ones folded into "other". */
export function withFoldedCategories(points: readonly Point[], domain: readonly string[]): Point[] {
  const keep = new Set(domain);
  return points.map((p) =>
    p.category === undefined || keep.has(p.category) ? p : { ...p, category: OTHER_COMMUNITY },
  );
}

/** 0, 1, 10, 100, ... up to the largest degree on the plot. */
export function degreeLegendValues(points: readonly Point[]): number[] {
  let max = 0;
  for (const p of points) if (p.degree > max) max = p.degree;
  const out = [0];
  for (let v = 1; v <= max; v *= 10) out.push(v);
  return out;
}

const CATEGORY_COLOURS = [...COMMUNITY_COLOURS.slice(0, 9), '#bab0ac', '#1f77b4', '#ff7f0e'];

function colourEncoding(colourBy: ColourBy, points: readonly Point[], categoryName = 'category') {
  if (colourBy === 'category') {
    const domain = categoryDomain(points);
    const range = domain.map((c, k) =>
      c === OTHER_COMMUNITY
        ? '#888888'
        : c === 'none'
          ? '#cccccc'
          : c === 'user'
            ? '#555555'
            : CATEGORY_COLOURS[k],
    );
    return {
      field: 'category',
      type: 'nominal',
      title: categoryName,
      scale: { domain, range },
    } as const;
  }
  if (colourBy === 'friends')
    return {
      field: 'friendship',
      type: 'nominal',
      title: 'friends of the selected user',
      scale: { domain: [...FRIENDSHIPS], range: ['#e15759', '#f28e2b', '#4e79a7', '#bab0ac'] },
    } as const;
  if (colourBy === 'type')
    return {
      field: 'type',
      type: 'nominal',
      title: 'node',
      scale: { domain: ['user', 'item'] },
    } as const;
  if (colourBy === 'degree')
    return {
      field: 'degree',
      type: 'quantitative',
      title: 'degree',
      scale: { type: 'symlog', scheme: 'viridis' },
      // the symlog gradient crowds its high end: labels at powers of ten, none overlapping
      // (vega's own ticks put 1,000 and 1,500 on top of each other)
      legend: { values: degreeLegendValues(points), labelOverlap: true },
    } as const;
  const domain = communityDomain(points);
  const range = domain.map((c) =>
    c === OTHER_COMMUNITY
      ? '#888888'
      : c === UNSAMPLED
        ? '#dddddd'
        : COMMUNITY_COLOURS[communityRank(c) - 1],
  );
  return {
    field: 'community',
    type: 'nominal',
    title: 'community (Louvain), nodes',
    scale: { domain, range },
  } as const;
}

/** A five-pointed star (an SVG path in vega's unit square): a friend's mark, unlike the rest. */
const FRIEND_SHAPE =
  'M0,-1L0.235,-0.324L0.951,-0.309L0.38,0.124L0.588,0.809L0,0.4L-0.588,0.809L-0.38,0.124L-0.951,-0.309L-0.235,-0.324Z';

/** `points`: needed to colour by community (the communities on the plot make the legend). */
export function scatterSpec(
  p: EmbeddingProjection,
  colourBy: ColourBy,
  points: readonly Point[] = [],
): TopLevelSpec {
  const [xTitle, yTitle] = axisTitles(p);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${p.label}: ${p.nUsers.toLocaleString('en-US')} users, ${p.nItems.toLocaleString('en-US')} items`,
      subtitle: `${PROJECTION_LABELS[p.method]} of ${coverage(p)}`,
    },
    width: 'container',
    height: 520,
    layer: [
      {
        data: { name: 'points' },
        params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
        mark: { type: 'circle', size: 14, opacity: 0.65 },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            title: xTitle,
            scale: { zero: false },
          },
          y: {
            field: 'y',
            type: 'quantitative',
            title: yTitle,
            scale: { zero: false },
          },
          color: colourEncoding(colourBy, points, p.category?.name),
          // colour by friends: the few points that matter drawn large, the crowd small
          ...(colourBy === 'friends'
            ? {
                size: {
                  condition: [
                    { test: "datum.friendship === 'selected user'", value: 140 },
                    { test: "datum.friendship === 'friend'", value: 80 },
                  ],
                  value: 14,
                },
              }
            : {}),
          tooltip: [
            { field: 'id', title: 'id' },
            ...(p.labels ? [{ field: 'label', title: 'name' }] : []),
            { field: 'type', title: 'type' },
            { field: 'degree', title: 'degree' },
            ...(colourBy === 'community' ? [{ field: 'community', title: 'community' }] : []),
            ...(colourBy === 'friends' ? [{ field: 'friendship', title: 'relation' }] : []),
            ...(colourBy === 'category' && p.category
              ? [{ field: 'category', title: p.category.name }]
              : []),
          ],
        },
      },
      {
        data: { name: 'marks' },
        mark: { type: 'point', size: 120, strokeWidth: 2, filled: false },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          shape: {
            field: 'role',
            type: 'nominal',
            title: 'marked',
            scale: {
              domain: [
                'found',
                'selected user',
                'recommended',
                'trained on',
                'selected item',
                'similar item',
                'nearest item',
                'has the item',
                ...(p.friendships ? ['friend'] : []),
              ],
              range: [
                'diamond',
                'square',
                'triangle-up',
                'circle',
                'square',
                'cross',
                'triangle-down',
                'circle',
                ...(p.friendships ? [FRIEND_SHAPE] : []),
              ],
            },
          },
          color: { value: '#ff4081' },
          tooltip: [
            { field: 'id', title: 'id' },
            ...(p.labels ? [{ field: 'label', title: 'name' }] : []),
            { field: 'role', title: 'role' },
          ],
        },
      },
    ],
  };
}

/** The point a search means: `user:42`, `item:7`, `42` (an id), or `#12` (a node index). */
export function findPoint(points: readonly Point[], query: string): Point | undefined {
  const q = query.trim();
  if (!q) return undefined;
  const byIndex = /^#(\d+)$/.exec(q); // internal node index: users first, then items
  if (byIndex) return points.find((p) => p.i === Number(byIndex[1]));
  const [kind, rest] = q.includes(':') ? (q.split(':', 2) as [string, string]) : ['', q];
  const want = kind === 'user' || kind === 'item' ? kind : undefined;
  const id = want ? rest : q;
  return points.find((p) => p.id === id && (!want || p.type === want));
}

export type Mark = Point & { role: string };

/** Marks collected in `out`; `at` adds a node's mark when the node is on the plot. */
function marker(byNode: ReadonlyMap<number, Point>) {
  const out: Mark[] = [];
  const at = (node: number, role: string) => {
    const q = byNode.get(node);
    if (q) out.push({ ...q, role });
  };
  return { out, at };
}

/** The marks for a user's detail on the plot: only nodes that are on it (all, or a sample's). */
export function detailMarks(
  d: UserDetail,
  p: EmbeddingProjection,
  byNode: ReadonlyMap<number, Point>,
): Array<Point & { role: string }> {
  const { out, at } = marker(byNode);
  at(d.userIndex, 'selected user');
  for (const r of d.recommendations) at(p.nUsers + r.index, 'recommended');
  const itemNode = new Map<string, number>();
  for (const q of byNode.values()) if (q.type === 'item') itemNode.set(q.id, q.i);
  for (const f of d.friends ?? []) at(f.index, 'friend');
  let trained = 0;
  for (const t of d.trainItems) {
    const node = itemNode.get(t);
    if (node === undefined) continue;
    at(node, 'trained on');
    if (++trained >= 200) break;
  }
  return out;
}

/** The marks for an item's detail: the item and its similar items, where they are on the plot. */
export function itemDetailMarks(
  d: ItemDetail,
  p: EmbeddingProjection,
  byNode: ReadonlyMap<number, Point>,
): Mark[] {
  const { out, at } = marker(byNode);
  at(p.nUsers + d.itemIndex, 'selected item');
  for (const s of d.similar) at(p.nUsers + s.index, 'similar item');
  for (const s of d.neighbours?.cosine ?? []) at(p.nUsers + s.index, 'nearest item');
  if (d.users?.length) {
    const userNode = new Map<string, number>();
    for (const q of byNode.values()) if (q.type === 'user') userNode.set(q.id, q.i);
    for (const u of d.users) {
      const node = userNode.get(u);
      if (node !== undefined) at(node, 'has the item');
    }
  }
  return out;
}
