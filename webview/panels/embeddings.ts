/**
 * Embedding plot: a 2-D projection (PCA of every node, or UMAP / t-SNE of a sample with the
 * settings in the toolbar, computed by the host's worker) as a canvas scatter of users and
 * items. Zoom/pan with the mouse, hover for id, name and degree; search ids and names (text or
 * /regex/) into a results list that the keyboard walks; one selection at a time, a user (its
 * history, top-K and why each is recommended) or an item (its nearest items by embedding,
 * similar items by the item-item graph, its users, its popularity), marked on the plot. The
 * projection, its settings, the colouring and the selection are kept across a reload.
 */
import type { View } from 'vega';
import {
  isProjectionMethod,
  PROJECTION_LABELS,
  PROJECTION_METHODS,
  type CommunitiesData,
  type EmbeddingProjection,
  type EmbeddingsSelection,
  type HostMessage,
  type ItemDetail,
  type ProjectionMethod,
  type ProjectionParams,
  type UserDetail,
} from '../../extension/shared/messages.js';
import { effectiveParams } from '../../extension/shared/projectionParams.js';
import { becausePhrase } from '../../src/runs/pathsText.js';
import { getState, post, setState } from '../api.js';
import { embed, rendered } from '../chart.js';
import { app, banner, clear, clearBanner, fmt, h } from '../dom.js';
import {
  categoryDomain,
  communityRank,
  detailMarks,
  drawOrder,
  itemDetailMarks,
  pointsByNode,
  pointText,
  scatterSpec,
  searchPoints,
  toPoints,
  withCommunities,
  withFoldedCategories,
  withFriends,
  type ColourBy,
  type Mark,
  type Point,
} from './embeddingsSpec.js';

/** What the panel keeps in its webview state (with the host's runDir and runId). */
interface Saved {
  method: ProjectionMethod;
  params: ProjectionParams;
  selection: EmbeddingsSelection;
  colourBy: ColourBy;
  usersOnTop: boolean;
  k: number;
}

const COLOUR_CHOICES: ReadonlyArray<[ColourBy, string]> = [
  ['type', 'node type'],
  ['degree', 'degree'],
  ['community', 'community'],
];

/** "40 communities, modularity 0.263; the 5 largest coloured, 35 smaller ones grey". */
function communitiesText(c: CommunitiesData, points: readonly Point[]): string {
  const sample =
    c.sampledUsers !== undefined
      ? `, on a sample of ${fmt(c.sampledUsers)} of ${fmt(c.totalUsers ?? 0)} users`
      : '';
  const coloured = new Set(
    points.filter((p) => communityRank(p.community ?? '') > 0).map((p) => p.community),
  ).size;
  const grey =
    c.count > coloured
      ? `; the ${coloured} largest coloured, ${fmt(c.count - coloured)} smaller ones grey`
      : '';
  return `${fmt(c.count)} communities, modularity ${c.modularity.toFixed(3)}${sample}${grey}`;
}

export function mountEmbeddings(): (m: HostMessage) => Promise<void> {
  const saved = getState<Saved>();
  let points: Point[] = [];
  let byNode = new Map<number, Point>();
  let proj: EmbeddingProjection | undefined;
  /** the one selection: the side list and the marks always describe it */
  let selection: EmbeddingsSelection | undefined = saved.selection;
  let shown: { user?: UserDetail; item?: ItemDetail } = {};
  let communities: CommunitiesData | undefined;
  let view: View | undefined;
  let colourBy: ColourBy = saved.colourBy ?? 'type';
  let usersOnTop = saved.usersOnTop ?? true;
  let k = saved.k ?? 10;
  let params: ProjectionParams = saved.params ?? {};
  let marks: Mark[] = [];
  const save = (patch: Partial<Saved>) =>
    setState({ ...getState<Record<string, unknown>>(), ...patch });

  const root = app();
  clear(root);
  const methodSel = h(
    'select',
    { id: 'projection', 'aria-label': 'projection' },
    ...PROJECTION_METHODS.map((m) => h('option', { value: m }, PROJECTION_LABELS[m])),
  );
  const methodStatus = h('span', { class: 'muted', id: 'projection-status', role: 'status' });
  const num = (id: string, label: string, attrs: Record<string, number | string>) =>
    h(
      'label',
      { class: 'param', 'data-for': id },
      `${label} `,
      h('input', { id, type: 'number', 'aria-label': label, ...attrs }),
    );
  const settings = h(
    'details',
    { id: 'projection-settings' },
    h('summary', {}, 'Settings'),
    num('umap-neighbors', 'neighbours', { min: 2, max: 200, step: 1 }),
    num('umap-min-dist', 'min distance', { min: 0, max: 1, step: 0.05 }),
    num('tsne-perplexity', 'perplexity', { min: 2, max: 100, step: 1 }),
    num('sample-size', 'sample size', { min: 10, step: 500 }),
    h('button', { id: 'projection-apply', type: 'button' }, 'Recompute'),
  );
  const colourSel = h(
    'select',
    { id: 'colour-by', 'aria-label': 'colour by' },
    ...COLOUR_CHOICES.map(([v, text]) => h('option', { value: v }, text)),
  );
  const colourStatus = h('span', { class: 'muted', id: 'colour-status', role: 'status' });
  const onTop = h('input', { id: 'users-on-top', type: 'checkbox' });
  onTop.checked = usersOnTop;
  const search = h('input', {
    id: 'search',
    type: 'search',
    placeholder: 'Search ids or names: user:42, item:7, #index, Star Wars, /^the /',
    'aria-label': 'search ids or names',
    'aria-controls': 'search-results',
  });
  const status = h('span', { class: 'muted', id: 'search-status', role: 'status' });
  const results = h('ul', {
    id: 'search-results',
    class: 'results',
    'aria-label': 'search results',
  });
  const chartEl = h('div', { class: 'chart', id: 'embedding-chart' });
  const side = h('aside', { id: 'user-detail', class: 'detail', 'aria-live': 'polite' });
  const hint = () =>
    side.replaceChildren(
      h(
        'p',
        { class: 'muted' },
        'Click a point or a search result: a user lists its training items and top-20 recommendations with the items behind each; an item lists its nearest items, similar items, users and popularity.',
      ),
    );
  hint();
  root.append(
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, 'Projection ', methodSel),
      settings,
      methodStatus,
      h('label', {}, 'Colour by ', colourSel),
      h('label', {}, onTop, ' users on top'),
      colourStatus,
    ),
    h('div', { class: 'toolbar' }, search, status),
    results,
    h('div', { class: 'split' }, chartEl, side),
  );
  const input = (id: string) => settings.querySelector<HTMLInputElement>(`#${id}`);

  /** The settings inputs for the method in the dropdown: only its own, filled in. */
  const showSettings = (method: ProjectionMethod) => {
    settings.hidden = method === 'pca';
    if (method === 'pca') return;
    const e = effectiveParams(method, params);
    for (const [id, value, on] of [
      ['umap-neighbors', e.neighbors, method === 'umap'],
      ['umap-min-dist', e.minDist, method === 'umap'],
      ['tsne-perplexity', e.perplexity, method === 'tsne'],
      ['sample-size', e.sample, true],
    ] as const) {
      const el = input(id);
      if (!el) continue;
      (el.parentElement as HTMLElement).hidden = !on;
      if (value !== undefined) el.value = String(value);
    }
  };
  const readSettings = (): ProjectionParams => {
    const v = (id: string) => {
      const el = input(id);
      const x = el && !(el.parentElement as HTMLElement).hidden ? Number(el.value) : NaN;
      return Number.isFinite(x) ? x : undefined;
    };
    const out: Record<string, number> = {};
    for (const [key, id] of [
      ['neighbors', 'umap-neighbors'],
      ['minDist', 'umap-min-dist'],
      ['perplexity', 'tsne-perplexity'],
      ['sample', 'sample-size'],
    ] as const) {
      const x = v(id);
      if (x !== undefined) out[key] = x;
    }
    return out;
  };

  const setMarks = async (m: Mark[]) => {
    marks = m;
    if (view) await view.data('marks', marks).resize().runAsync();
  };

  /**
   * The colour choices this projection offers: a metadata field, and the selected user's
   * friends, when the dataset has them.
   */
  const fillColourChoices = () => {
    const offer = (value: ColourBy, text: string | undefined) => {
      const existing = colourSel.querySelector(`option[value="${value}"]`);
      if (text && !existing) colourSel.append(h('option', { value }, text));
      if (!text) existing?.remove();
      if (colourBy === value && !text) colourBy = 'type';
    };
    offer('category', proj?.category?.name);
    offer('friends', proj?.friendships ? 'friends of the selected user' : undefined);
    colourSel.value = colourBy;
  };

  /** The status line of the colouring: the communities found, or whose friends are coloured. */
  const colourStatusText = (): string => {
    if (colourBy === 'community' && communities) return communitiesText(communities, points);
    if (colourBy !== 'friends' || !proj?.friendships) return '';
    const u = shown.user;
    return u?.friends
      ? `${u.friends.length} friends of user ${u.user} (${fmt(proj.friendships)} friendships in the dataset)`
      : 'click a user to colour their friends';
  };

  /** The points as drawn: colours that depend on the selection are applied here. */
  const colouredPoints = (): Point[] => {
    if (colourBy === 'category') return withFoldedCategories(points, categoryDomain(points));
    if (colourBy === 'friends') {
      const u = shown.user;
      return withFriends(points, u?.userIndex, u?.friends?.map((f) => f.index) ?? []);
    }
    return points;
  };

  const draw = async () => {
    if (!proj) return;
    // friends are drawn over everyone else, whatever "users on top" says
    const drawn =
      colourBy === 'friends' ? colouredPoints() : drawOrder(colouredPoints(), usersOnTop);
    colourStatus.textContent = colourStatusText();
    await embed(chartEl, scatterSpec(proj, colourBy, drawn), 'canvas', async (v) => {
      view = v;
      await v.data('points', drawn).data('marks', marks).resize().runAsync();
      v.addEventListener('click', (_ev, item) => {
        const d = item?.datum as Partial<Point> | undefined;
        if (d && (d.type === 'user' || d.type === 'item') && typeof d.i === 'number')
          selectPoint(d as Point);
      });
    });
    // which run and projection are on screen (for tests)
    chartEl.dataset.method = proj.method;
    chartEl.dataset.run = proj.label;
    // the panel serializer gets this state back after a reload: reopen on the same projection
    save({ method: proj.method, ...(proj.params ? { params: proj.params } : {}) });
    rendered();
  };

  /** The dropdown and status line as they should read when nothing is being computed. */
  const settle = () => {
    if (proj) {
      methodSel.value = proj.method;
      showSettings(proj.method);
      const pr = proj.params;
      const detail = pr
        ? [
            pr.neighbors !== undefined ? `${pr.neighbors} neighbours` : '',
            pr.minDist !== undefined ? `min distance ${pr.minDist}` : '',
            pr.perplexity !== undefined ? `perplexity ${pr.perplexity}` : '',
          ]
            .filter(Boolean)
            .join(', ')
        : '';
      methodStatus.textContent = `${PROJECTION_LABELS[proj.method]}${detail ? ` (${detail})` : ''} in ${proj.seconds.toFixed(1)} s`;
    } else methodStatus.textContent = '';
    chartEl.classList.remove('stale');
  };

  const project = (method: ProjectionMethod, p: ProjectionParams) => {
    methodStatus.textContent = `computing ${PROJECTION_LABELS[method]}…`;
    chartEl.classList.add('stale');
    post({ type: 'project', method, ...(method === 'pca' ? {} : { params: p }) });
  };
  methodSel.addEventListener('change', () => {
    const method = methodSel.value;
    if (!isProjectionMethod(method)) return;
    showSettings(method);
    if (method !== proj?.method) project(method, method === 'pca' ? {} : readSettings());
  });
  settings.querySelector('#projection-apply')?.addEventListener('click', () => {
    const method = methodSel.value;
    if (!isProjectionMethod(method) || method === 'pca') return;
    params = readSettings();
    save({ params });
    project(method, params);
  });
  colourSel.addEventListener('change', () => {
    const v = colourSel.value;
    colourBy =
      v === 'degree' || v === 'community' || v === 'category' || v === 'friends' ? v : 'type';
    save({ colourBy });
    if (colourBy === 'community' && !communities) {
      requestCommunities();
      return;
    }
    void draw();
  });
  onTop.addEventListener('change', () => {
    usersOnTop = onTop.checked;
    save({ usersOnTop });
    void draw();
  });
  const requestCommunities = () => {
    // found once by the host's worker; drawn when they arrive
    colourStatus.textContent = 'finding communities (Louvain)…';
    post({ type: 'requestCommunities' });
  };

  const showCommunities = async (c: CommunitiesData) => {
    communities = c;
    points = withCommunities(points, c.community);
    colourStatus.textContent = communitiesText(c, points);
    byNode = pointsByNode(points);
    if (colourBy === 'community') await draw();
  };

  // ------------------------------------------------------------ search and its results list

  const runSearch = () => {
    const r = searchPoints(points, search.value);
    results.replaceChildren(
      ...r.matches.map((p) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'link', 'data-node': p.i },
            `${pointText(p)} · degree ${p.degree}`,
          ),
        ),
      ),
    );
    const sampleNote = proj?.nodes ? ' in this sample' : '';
    status.textContent = r.error
      ? `not a regular expression: ${r.error}`
      : !search.value.trim()
        ? ''
        : r.total === 0
          ? `no match${sampleNote}`
          : `${r.total.toLocaleString('en-US')} match${r.total === 1 ? '' : 'es'}${sampleNote}${r.total > r.matches.length ? `, first ${r.matches.length} listed` : ''}`;
    return r;
  };
  search.addEventListener('input', () => void runSearch());
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      results.querySelector('button')?.focus();
      return;
    }
    if (e.key !== 'Enter') return;
    const first = runSearch().matches[0];
    if (first) selectPoint(first);
  });
  results.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button');
    const p = b ? byNode.get(Number(b.dataset.node)) : undefined;
    if (p) selectPoint(p);
  });
  // the results list is walked with the arrow keys; Enter or Space (a button's own) selects
  results.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = Array.from(results.querySelectorAll('button'));
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    e.preventDefault();
    if (e.key === 'ArrowUp' && at <= 0) search.focus();
    else buttons[Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1))]?.focus();
  });

  // ------------------------------------------------------------ the one selection

  const isSelected = (kind: 'user' | 'item', index: number) =>
    selection?.kind === kind && selection.index === index;

  const selectPoint = (p: Point) => {
    if (!proj) return;
    select(
      p.type === 'user' ? { kind: 'user', index: p.i } : { kind: 'item', index: p.i - proj.nUsers },
    );
  };

  /** Selects a user or an item: the side list and the marks move to it at once. */
  function select(sel: EmbeddingsSelection): void {
    if (!proj) return;
    selection = sel;
    shown = {};
    save({ selection: sel });
    const node = sel.kind === 'user' ? sel.index : proj.nUsers + sel.index;
    const p = byNode.get(node);
    void setMarks(
      p ? [{ ...p, role: sel.kind === 'user' ? 'selected user' : 'selected item' }] : [],
    );
    side.replaceChildren(
      h('p', { class: 'muted' }, `Loading ${p ? pointText(p) : `${sel.kind} #${sel.index}`}…`),
    );
    if (sel.kind === 'user') post({ type: 'selectUser', index: sel.index });
    else post({ type: 'selectItem', index: sel.index, k });
  }

  /** A list of items that can be selected: each a button naming the item. */
  const itemButton = (index: number, item: string, label: string | undefined, extra = '') =>
    h(
      'button',
      { type: 'button', class: 'link', 'data-item': index },
      `${label ? `${label} (${item})` : item}${extra}`,
    );
  const userButton = (index: number | undefined, user: string) =>
    index === undefined
      ? h('span', {}, user)
      : h('button', { type: 'button', class: 'link', 'data-user': index }, `user ${user}`);
  side.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button');
    if (!b || !proj) return;
    if (b.dataset.item !== undefined) select({ kind: 'item', index: Number(b.dataset.item) });
    else if (b.dataset.user !== undefined) select({ kind: 'user', index: Number(b.dataset.user) });
  });
  const section = (title: string, ...children: Array<Node | string>) =>
    h('section', {}, h('h3', {}, title), ...children);
  const ol = (rows: Node[], cls?: (i: number) => string | undefined) =>
    h('ol', {}, ...rows.map((r, i) => h('li', { class: cls?.(i) }, r)));

  const showUser = async (d: UserDetail) => {
    if (!isSelected('user', d.userIndex)) return; // an answer to an earlier click
    shown = { user: d };
    const itemIndex = new Map<string, number>();
    for (const q of byNode.values())
      if (q.type === 'item' && proj) itemIndex.set(q.id, q.i - proj.nUsers);
    for (const r of d.recommendations) itemIndex.set(r.item, r.index);
    const friends = d.friends;
    side.replaceChildren(
      h('h2', {}, `User ${d.user}`),
      friends
        ? section(
            `Friends (${friends.length})`,
            friends.length
              ? h(
                  'p',
                  { class: 'users', id: 'friends' },
                  ...friends.flatMap((f, j) => [j ? ' ' : '', userButton(f.index, f.user)]),
                )
              : h('p', { class: 'muted', id: 'friends' }, 'No friends in the dataset.'),
          )
        : '',
      section(
        `Top ${d.recommendations.length} (★ = in the test set)`,
        ol(
          d.recommendations.map((r) =>
            h(
              'span',
              {},
              itemButton(r.index, r.item, r.label, r.hit ? ' ★' : ''),
              r.paths?.items.length
                ? h(
                    'span',
                    { class: 'because paths' },
                    ` because you liked ${becausePhrase(r.paths.items.map((c) => ({ name: c.label ?? c.item, share: c.weight })))}`,
                  )
                : r.paths
                  ? h('span', { class: 'because paths muted' }, ' (no walk path reaches it)')
                  : null,
              r.because?.length
                ? h(
                    'span',
                    { class: 'because cosine muted' },
                    ` · nearest by embedding: ${r.because.map((c) => `${c.label ?? c.item} (${c.weight.toFixed(2)})`).join(', ')}`,
                  )
                : null,
            ),
          ),
          (i) => (d.recommendations[i].hit ? 'hit' : undefined),
        ),
        d.paths
          ? h(
              'p',
              { class: 'muted note' },
              `“because you liked”, by random-walk paths: ${d.paths}.`,
            )
          : '',
        d.because ? h('p', { class: 'muted note' }, `“nearest by embedding”: ${d.because}.`) : '',
      ),
      section(
        `Training items (${d.trainItems.length})`,
        ol(
          d.trainItems.slice(0, 200).map((t, j) => {
            const idx = itemIndex.get(t);
            const label = d.trainLabels?.[j] || undefined;
            return idx === undefined
              ? h('span', {}, label ? `${label} (${t})` : t)
              : itemButton(idx, t, label);
          }),
        ),
      ),
    );
    if (proj) await setMarks(detailMarks(d, proj, byNode));
    if (colourBy === 'friends') await draw();
  };

  const showItem = async (d: ItemDetail) => {
    if (!isSelected('item', d.itemIndex)) return;
    shown = { item: d };
    const userIndex = new Map<string, number>();
    for (const q of byNode.values()) if (q.type === 'user') userIndex.set(q.id, q.i);
    const pop = d.popularity;
    const kInput = h('input', {
      id: 'neighbours-k',
      type: 'number',
      min: 1,
      max: 200,
      value: k,
      'aria-label': 'nearest items listed',
    });
    kInput.addEventListener('change', () => {
      const v = Math.round(Number(kInput.value));
      if (!Number.isFinite(v) || v < 1 || !selection) return;
      k = Math.min(200, v);
      save({ k });
      select(selection);
    });
    const similar = (xs: Array<{ item: string; index: number; label?: string; weight: number }>) =>
      ol(xs.map((s) => itemButton(s.index, s.item, s.label, ` · ${s.weight.toFixed(3)}`)));
    const nb = d.neighbours;
    side.replaceChildren(
      h('h2', {}, `Item ${d.label ? `${d.label} (${d.item})` : d.item}`),
      pop
        ? h(
            'p',
            { id: 'popularity' },
            `Popularity: ${fmt(pop.degree)} training users, rank ${fmt(pop.rank)} of ${fmt(pop.items)} items`,
          )
        : '',
      nb
        ? section(
            'Nearest items by embedding',
            h('label', {}, 'k ', kInput),
            h('h4', {}, 'cosine'),
            similar(nb.cosine),
            h('h4', {}, 'dot product (the model’s score: favours popular items)'),
            similar(nb.dot),
          )
        : '',
      d.similar.length === 0
        ? h('p', { class: 'muted' }, 'No similar items: no user has it with another item.')
        : section(
            `Most similar items (${d.similar.length}, item-item graph of the training split)`,
            similar(d.similar),
          ),
      d.users && pop
        ? section(
            `Users who have it (${d.users.length < pop.degree ? `first ${d.users.length} of ` : ''}${fmt(pop.degree)})`,
            h(
              'p',
              { class: 'users' },
              ...d.users.flatMap((u, j) => [j ? ' ' : '', userButton(userIndex.get(u), u)]),
            ),
          )
        : '',
    );
    if (proj) await setMarks(itemDetailMarks(d, proj, byNode));
  };

  return async (m) => {
    if (m.type === 'embeddings') {
      clearBanner();
      const first = !proj;
      proj = m.projection;
      points = communities
        ? withCommunities(toPoints(proj), communities.community)
        : toPoints(proj);
      byNode = pointsByNode(points);
      fillColourChoices();
      // the selection stays marked in the new projection (where its nodes are on it)
      marks = shown.user
        ? detailMarks(shown.user, proj, byNode)
        : shown.item
          ? itemDetailMarks(shown.item, proj, byNode)
          : [];
      settle();
      if (colourBy === 'community' && !communities) requestCommunities();
      await draw();
      if (search.value.trim()) runSearch();
      // a reloaded panel asks again for what was selected before
      if (first && selection && !shown.user && !shown.item) select(selection);
    } else if (m.type === 'projecting') {
      methodSel.value = m.method;
      methodStatus.textContent = m.message;
      chartEl.classList.add('stale');
    } else if (m.type === 'userDetail') {
      await showUser(m.detail);
    } else if (m.type === 'itemDetail') {
      await showItem(m.detail);
    } else if (m.type === 'communities') {
      await showCommunities(m.communities);
    } else if (m.type === 'error' && proj) {
      settle();
      if (!communities) colourStatus.textContent = '';
      banner('error', m.message);
    }
  };
}
