/**
 * Embedding plot: 2-D PCA (computed by the host's worker) as a canvas scatter of users and
 * items. Zoom/pan with the mouse, hover for id and degree, search by id, click a user to see
 * its training items and top-K (answered by the host), which are then marked on the plot.
 */
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type {
  EmbeddingProjection,
  HostMessage,
  UserDetail,
} from '../../extension/shared/messages.js';
import { post } from '../api.js';
import { embed, rendered } from '../chart.js';
import { app, banner, clear, clearBanner, h } from '../dom.js';

export interface Point {
  readonly i: number;
  readonly x: number;
  readonly y: number;
  readonly type: 'user' | 'item';
  readonly id: string;
  readonly degree: number;
}

/** Columns to rows for vega (done here, in the webview, so the wire carries typed arrays). */
export function toPoints(p: EmbeddingProjection): Point[] {
  const out: Point[] = new Array<Point>(p.nUsers + p.nItems);
  for (let i = 0; i < out.length; i++) {
    out[i] = {
      i,
      x: p.x[i],
      y: p.y[i],
      type: i < p.nUsers ? 'user' : 'item',
      id: p.ids[i] ?? String(i),
      degree: p.degree[i],
    };
  }
  return out;
}

export type ColourBy = 'type' | 'degree';

export function scatterSpec(p: EmbeddingProjection, colourBy: ColourBy): TopLevelSpec {
  const ev = (v: number) => `${(100 * v).toFixed(1)}%`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${p.label}: ${p.nUsers.toLocaleString('en-US')} users, ${p.nItems.toLocaleString('en-US')} items`,
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
            title: `PC1 (${ev(p.explained[0])})`,
            scale: { zero: false },
          },
          y: {
            field: 'y',
            type: 'quantitative',
            title: `PC2 (${ev(p.explained[1])})`,
            scale: { zero: false },
          },
          color:
            colourBy === 'type'
              ? {
                  field: 'type',
                  type: 'nominal',
                  title: 'node',
                  scale: { domain: ['user', 'item'] },
                }
              : {
                  field: 'degree',
                  type: 'quantitative',
                  title: 'degree',
                  scale: { type: 'symlog', scheme: 'viridis' },
                },
          tooltip: [
            { field: 'id', title: 'id' },
            { field: 'type', title: 'type' },
            { field: 'degree', title: 'degree' },
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
              domain: ['found', 'selected user', 'recommended', 'trained on'],
              range: ['diamond', 'square', 'triangle-up', 'circle'],
            },
          },
          color: { value: '#ff4081' },
          tooltip: [
            { field: 'id', title: 'id' },
            { field: 'role', title: 'role' },
          ],
        },
      },
    ],
  };
}

export function findIndex(points: readonly Point[], query: string): number {
  const q = query.trim();
  if (!q) return -1;
  const byIndex = /^#(\d+)$/.exec(q); // internal node index: users first, then items
  if (byIndex) return Number(byIndex[1]) < points.length ? Number(byIndex[1]) : -1;
  const [kind, rest] = q.includes(':') ? (q.split(':', 2) as [string, string]) : ['', q];
  const want = kind === 'user' || kind === 'item' ? kind : undefined;
  const id = want ? rest : q;
  const hit = points.find((p) => p.id === id && (!want || p.type === want));
  return hit ? hit.i : -1;
}

export function mountEmbeddings(): (m: HostMessage) => Promise<void> {
  let points: Point[] = [];
  let proj: EmbeddingProjection | undefined;
  let view: View | undefined;
  let colourBy: ColourBy = 'type';
  let marks: Array<Point & { role: string }> = [];
  const root = app();
  clear(root);
  const colourSel = h(
    'select',
    { id: 'colour-by', 'aria-label': 'colour by' },
    h('option', { value: 'type' }, 'node type'),
    h('option', { value: 'degree' }, 'degree'),
  );
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
      'Click a user to list its training items and top-20 recommendations.',
    ),
  );
  root.append(
    h('div', { class: 'toolbar' }, h('label', {}, 'Colour by ', colourSel), search, status),
    h('div', { class: 'split' }, chartEl, side),
  );

  const setMarks = async (m: typeof marks) => {
    marks = m;
    if (view) await view.data('marks', marks).resize().runAsync();
  };

  const draw = async () => {
    if (!proj) return;
    await embed(chartEl, scatterSpec(proj, colourBy), 'canvas', async (v) => {
      view = v;
      await v.data('points', points).data('marks', marks).resize().runAsync();
      v.addEventListener('click', (_ev, item) => {
        const d = item?.datum as Partial<Point> | undefined;
        if (d && d.type === 'user' && typeof d.i === 'number') {
          side.replaceChildren(h('p', { class: 'muted' }, `Loading user ${d.id}…`));
          post({ type: 'selectUser', index: d.i });
        }
      });
    });
    rendered();
  };

  colourSel.addEventListener('change', () => {
    colourBy = colourSel.value === 'degree' ? 'degree' : 'type';
    void draw();
  });
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const i = findIndex(points, search.value);
    if (i < 0) {
      status.textContent = 'not found';
      return;
    }
    const p = points[i];
    status.textContent = `${p.type} ${p.id}: degree ${p.degree}`;
    void setMarks([{ ...p, role: 'found' }]);
    if (p.type === 'user') post({ type: 'selectUser', index: p.i });
  });

  const showDetail = async (d: UserDetail) => {
    const list = (title: string, items: Array<{ text: string; cls?: string }>) =>
      h(
        'section',
        {},
        h('h3', {}, title),
        h('ol', {}, ...items.map((x) => h('li', { class: x.cls }, x.text))),
      );
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
    if (!proj) return;
    const nU = proj.nUsers;
    const itemIndex = new Map<string, number>();
    for (let j = 0; j < proj.nItems; j++) itemIndex.set(points[nU + j].id, nU + j);
    const trained = d.trainItems
      .map((t) => itemIndex.get(t))
      .filter((j): j is number => j !== undefined);
    await setMarks([
      { ...points[d.userIndex], role: 'selected user' },
      ...d.recommendations.map((r) => ({ ...points[nU + r.index], role: 'recommended' })),
      ...trained.slice(0, 200).map((j) => ({ ...points[j], role: 'trained on' })),
    ]);
  };

  return async (m) => {
    if (m.type === 'embeddings') {
      clearBanner();
      proj = m.projection;
      points = toPoints(proj);
      marks = [];
      await draw();
    } else if (m.type === 'userDetail') {
      await showDetail(m.detail);
    } else if (m.type === 'error' && proj) {
      banner('error', m.message);
    }
  };
}
