/**
 * Embedding plot: a 2-D projection (PCA of every node, or UMAP / t-SNE of a sample, computed
 * by the host's worker; picked in the toolbar) as a canvas scatter of users and items.
 * Zoom/pan with the mouse, hover for id and degree, search by id, click a user to see its
 * training items and top-K (answered by the host), which are then marked on the plot; click an
 * item to see its most similar items by the run's item-item graph, marked the same way.
 */
import type { View } from 'vega';
import {
  isProjectionMethod,
  PROJECTION_LABELS,
  PROJECTION_METHODS,
  type EmbeddingProjection,
  type CommunitiesData,
  type HostMessage,
  type ItemDetail,
  type UserDetail,
} from '../../extension/shared/messages.js';
import { itemText } from '../../extension/shared/similarItems.js';
import { getState, post, setState } from '../api.js';
import { embed, rendered } from '../chart.js';
import { app, banner, clear, clearBanner, h } from '../dom.js';
import {
  detailMarks,
  findPoint,
  itemDetailMarks,
  pointsByNode,
  scatterSpec,
  toPoints,
  withCommunities,
  type ColourBy,
  type Point,
} from './embeddingsSpec.js';

export function mountEmbeddings(): (m: HostMessage) => Promise<void> {
  let points: Point[] = [];
  let byNode = new Map<number, Point>();
  let proj: EmbeddingProjection | undefined;
  let detail: UserDetail | undefined;
  let shownItem: ItemDetail | undefined;
  let communities: CommunitiesData | undefined;
  let view: View | undefined;
  let colourBy: ColourBy = 'type';
  let marks: Array<Point & { role: string }> = [];
  const root = app();
  clear(root);
  const methodSel = h(
    'select',
    { id: 'projection', 'aria-label': 'projection' },
    ...PROJECTION_METHODS.map((m) => h('option', { value: m }, PROJECTION_LABELS[m])),
  );
  const methodStatus = h('span', { class: 'muted', id: 'projection-status', role: 'status' });
  const colourSel = h(
    'select',
    { id: 'colour-by', 'aria-label': 'colour by' },
    h('option', { value: 'type' }, 'node type'),
    h('option', { value: 'degree' }, 'degree'),
    h('option', { value: 'community' }, 'community'),
  );
  const colourStatus = h('span', { class: 'muted', id: 'colour-status', role: 'status' });
  const search = h('input', {
    id: 'search',
    type: 'search',
    placeholder: 'Find id (user:42, item:7, 42, or #index)',
    'aria-label': 'find id',
  });
  const status = h('span', { class: 'muted', id: 'search-status' });
  const chartEl = h('div', { class: 'chart', id: 'embedding-chart' });
  const side = h(
    'aside',
    { id: 'user-detail', class: 'detail' },
    h(
      'p',
      { class: 'muted' },
      'Click a user to list its training items and top-20 recommendations, or an item to list its most similar items.',
    ),
  );
  root.append(
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, 'Projection ', methodSel),
      methodStatus,
      h('label', {}, 'Colour by ', colourSel),
      colourStatus,
      search,
      status,
    ),
    h('div', { class: 'split' }, chartEl, side),
  );

  const setMarks = async (m: typeof marks) => {
    marks = m;
    if (view) await view.data('marks', marks).resize().runAsync();
  };

  const draw = async () => {
    if (!proj) return;
    await embed(chartEl, scatterSpec(proj, colourBy, points), 'canvas', async (v) => {
      view = v;
      await v.data('points', points).data('marks', marks).resize().runAsync();
      v.addEventListener('click', (_ev, item) => {
        const d = item?.datum as Partial<Point> | undefined;
        if (d && (d.type === 'user' || d.type === 'item') && typeof d.i === 'number')
          select(d as Point);
      });
    });
    chartEl.dataset.method = proj.method; // which projection is on screen (for tests)
    // the panel serializer gets this state back after a reload: reopen on the same projection
    setState({ ...getState<Record<string, unknown>>(), method: proj.method });
    rendered();
  };

  /** The dropdown and status line as they should read when nothing is being computed. */
  const settle = () => {
    if (proj) {
      methodSel.value = proj.method;
      methodStatus.textContent = `${PROJECTION_LABELS[proj.method]} in ${proj.seconds.toFixed(1)} s`;
    } else methodStatus.textContent = '';
    chartEl.classList.remove('stale');
  };

  methodSel.addEventListener('change', () => {
    const method = methodSel.value;
    if (!isProjectionMethod(method) || method === proj?.method) return;
    methodStatus.textContent = `computing ${PROJECTION_LABELS[method]}…`;
    chartEl.classList.add('stale');
    post({ type: 'project', method });
  });
  colourSel.addEventListener('change', () => {
    const v = colourSel.value;
    colourBy = v === 'degree' || v === 'community' ? v : 'type';
    if (colourBy === 'community' && !communities) {
      // found once by the host's worker; drawn when they arrive
      colourStatus.textContent = 'finding communities (Louvain)…';
      post({ type: 'requestCommunities' });
      return;
    }
    void draw();
  });

  const showCommunities = async (c: CommunitiesData) => {
    communities = c;
    const sample =
      c.sampledUsers !== undefined
        ? `, on a sample of ${c.sampledUsers.toLocaleString('en-US')} of ${(c.totalUsers ?? 0).toLocaleString('en-US')} users`
        : '';
    colourStatus.textContent = `${c.count.toLocaleString('en-US')} communities, modularity ${c.modularity.toFixed(3)}${sample}`;
    points = withCommunities(points, c.community);
    byNode = pointsByNode(points);
    if (colourBy === 'community') await draw();
  };
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const p = findPoint(points, search.value);
    if (!p) {
      status.textContent = proj?.nodes ? 'not in this sample' : 'not found';
      return;
    }
    status.textContent = `${p.type} ${p.id}: degree ${p.degree}`;
    void setMarks([{ ...p, role: 'found' }]);
    select(p);
  });

  /** Asks the host for a user's detail or an item's similar items. */
  function select(p: Point): void {
    if (!proj) return;
    side.replaceChildren(h('p', { class: 'muted' }, `Loading ${p.type} ${p.id}…`));
    if (p.type === 'user') post({ type: 'selectUser', index: p.i });
    else post({ type: 'selectItem', index: p.i - proj.nUsers });
  }

  const list = (title: string, items: Array<{ text: string; cls?: string }>) =>
    h(
      'section',
      {},
      h('h3', {}, title),
      h('ol', {}, ...items.map((x) => h('li', { class: x.cls }, x.text))),
    );

  const showDetail = async (d: UserDetail) => {
    detail = d;
    shownItem = undefined;
    side.replaceChildren(
      h('h2', {}, `User ${d.user}`),
      list(
        `Top ${d.recommendations.length} (★ = in the test set)`,
        d.recommendations.map((r) => ({
          text: `${r.item}${r.hit ? ' ★' : ''}`,
          cls: r.hit ? 'hit' : undefined,
        })),
      ),
      list(
        `Training items (${d.trainItems.length})`,
        d.trainItems.slice(0, 200).map((t) => ({ text: t })),
      ),
    );
    if (proj) await setMarks(detailMarks(d, proj, byNode));
  };

  const showItem = async (d: ItemDetail) => {
    shownItem = d;
    detail = undefined;
    side.replaceChildren(
      h('h2', {}, `Item ${itemText(d.item, d.label)}`),
      d.similar.length === 0
        ? h('p', { class: 'muted' }, 'No similar items: no user has it with another item.')
        : list(
            `Most similar items (${d.similar.length}, item-item graph of the training split)`,
            d.similar.map((s) => ({
              text: `${itemText(s.item, s.label)} · ${s.weight.toFixed(3)}`,
            })),
          ),
    );
    if (proj) await setMarks(itemDetailMarks(d, proj, byNode));
  };

  return async (m) => {
    if (m.type === 'embeddings') {
      clearBanner();
      proj = m.projection;
      points = communities
        ? withCommunities(toPoints(proj), communities.community)
        : toPoints(proj);
      byNode = pointsByNode(points);
      // the selected user stays marked in the new projection (where its nodes are on it)
      marks = detail
        ? detailMarks(detail, proj, byNode)
        : shownItem
          ? itemDetailMarks(shownItem, proj, byNode)
          : [];
      settle();
      await draw();
    } else if (m.type === 'projecting') {
      methodSel.value = m.method;
      methodStatus.textContent = m.message;
      chartEl.classList.add('stale');
    } else if (m.type === 'userDetail') {
      await showDetail(m.detail);
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
