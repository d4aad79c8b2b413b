/**
 * A run's embeddings in 2-D (PCA, UMAP or t-SNE, computed in a worker; the webview only
 * draws). The panel's dropdown picks the projection; each is computed once per panel and kept.
 * Clicking a user asks a worker for its training items and top-K recommendations; clicking an
 * item lists its most similar items by the run's item-item graph (built once per panel).
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../src/util/errors.js';
import {
  isProjectionMethod,
  PROJECTION_LABELS,
  type CommunitiesData,
  type EmbeddingProjection,
  type ItemDetail,
  type ItemGraphData,
  type ProjectionMethod,
  type WebviewMessage,
} from '../shared/messages.js';
import type { Services } from '../services.js';
import { itemDetail } from '../shared/similarItems.js';
import { runJob } from '../training/workerClient.js';
import type { EmbeddingsState } from './embeddingsState.js';
import { Panel, PanelRegistry } from './panel.js';

export type { EmbeddingsState } from './embeddingsState.js';

/** Similar items listed per item (the graph keeps this many neighbours per row). */
export const SIMILAR_ITEMS = 20;

export class EmbeddingsPanel extends Panel {
  static readonly viewType = 'reclab.embeddings';
  static readonly registry = new PanelRegistry<EmbeddingsPanel>();
  /** computed projections of this run, by method */
  private readonly cache = new Map<ProjectionMethod, EmbeddingProjection>();
  private readonly computing = new Map<ProjectionMethod, Promise<EmbeddingProjection>>();
  /** the projection the user asked for last: only it is drawn when it arrives */
  private wanted: ProjectionMethod;
  /** the run's item-item graph, built on the first item click */
  private itemGraph?: Promise<ItemGraphData>;
  /** the run's Louvain communities, found on the first "colour by community" */
  private communityJob?: Promise<CommunitiesData>;

  static show(s: Services, state: EmbeddingsState, title: string): EmbeddingsPanel {
    const existing = EmbeddingsPanel.registry.get(state.runId);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      EmbeddingsPanel.viewType,
      `Embeddings: ${title}`,
      vscode.ViewColumn.Active,
      {},
    );
    return EmbeddingsPanel.restore(s, panel, state);
  }

  static restore(s: Services, panel: vscode.WebviewPanel, state: EmbeddingsState): EmbeddingsPanel {
    return EmbeddingsPanel.registry.add(new EmbeddingsPanel(s, panel, state));
  }

  private constructor(
    private readonly s: Services,
    panel: vscode.WebviewPanel,
    private readonly state: EmbeddingsState,
  ) {
    super(panel, 'embeddings', state.runId, s.extensionUri, state);
    this.wanted = state.method ?? 'pca';
    void this.refresh();
  }

  get method(): ProjectionMethod {
    return this.wanted;
  }

  /** Draws the projection last asked for (PCA first, or the one a restored panel had). */
  async refresh(): Promise<void> {
    const method = this.wanted;
    await this.load(`Projecting embeddings (${PROJECTION_LABELS[method]})…`, async () => ({
      type: 'embeddings',
      projection: await this.projection(method),
    }));
  }

  /**
   * The run's projection by `method`: from the cache, or computed in a worker (one job per
   * method at a time, whoever asks), with its progress shown while it is the one wanted.
   */
  projection(method: ProjectionMethod): Promise<EmbeddingProjection> {
    const cached = this.cache.get(method);
    if (cached) return Promise.resolve(cached);
    const running = this.computing.get(method);
    if (running) return running;
    const label = PROJECTION_LABELS[method];
    const job = runJob(
      this.s.workers,
      { type: 'project', runDir: this.state.runDir, method },
      'projected',
      (p) => {
        if (this.wanted !== method || p.total <= 0) return;
        const pct = Math.round((100 * p.done) / p.total);
        this.post({ type: 'projecting', method, message: `computing ${label}… ${pct}%` });
      },
    )
      .then((r) => {
        this.cache.set(method, r.projection);
        return r.projection;
      })
      .finally(() => this.computing.delete(method));
    this.computing.set(method, job);
    return job;
  }

  /** Switches the plot to `method`, computing it first when needed (the dropdown, and tests). */
  async show(method: ProjectionMethod): Promise<void> {
    this.wanted = method;
    if (!this.cache.has(method))
      this.post({ type: 'projecting', method, message: `computing ${PROJECTION_LABELS[method]}…` });
    try {
      const projection = await this.projection(method);
      if (this.wanted === method) this.post({ type: 'embeddings', projection });
    } catch (e) {
      if (this.wanted === method)
        this.post({
          type: 'error',
          message: `${PROJECTION_LABELS[method]} failed: ${errorMessage(e)}`,
        });
      throw e;
    }
  }

  /** Item `index`'s most similar items, from the run's item-item graph (built once). */
  async similarTo(index: number): Promise<ItemDetail> {
    this.itemGraph ??= runJob(
      this.s.workers,
      { type: 'itemGraph', runDir: this.state.runDir, k: SIMILAR_ITEMS },
      'itemGraphBuilt',
    ).then((r) => r.graph);
    // a failed build is not kept: the next click tries again
    this.itemGraph.catch(() => (this.itemGraph = undefined));
    const detail = itemDetail(await this.itemGraph, index);
    this.post({ type: 'itemDetail', detail });
    return detail;
  }

  /** The run's user-item communities (found once), sent to the plot to colour by. */
  async communities(): Promise<CommunitiesData> {
    this.communityJob ??= runJob(
      this.s.workers,
      { type: 'communities', runDir: this.state.runDir },
      'communitiesFound',
    ).then((r) => r.communities);
    this.communityJob.catch(() => (this.communityJob = undefined));
    const communities = await this.communityJob;
    this.post({ type: 'communities', communities });
    return communities;
  }

  protected override async onMessage(m: WebviewMessage): Promise<void> {
    if (m.type === 'requestCommunities') {
      await this.communities().catch((e: unknown) =>
        this.post({ type: 'error', message: `communities: ${errorMessage(e)}` }),
      );
      return;
    }
    if (m.type === 'project') {
      if (!isProjectionMethod(m.method)) return;
      await this.show(m.method).catch(() => undefined); // the error is shown in the panel
      return;
    }
    if (m.type === 'selectItem') {
      await this.similarTo(m.index).catch((e: unknown) =>
        this.post({ type: 'error', message: `similar items: ${errorMessage(e)}` }),
      );
      return;
    }
    if (m.type !== 'selectUser') return;
    try {
      const r = await runJob(
        this.s.workers,
        { type: 'recommend', runDir: this.state.runDir, user: `#${m.index}`, k: 20 },
        'recommended',
      );
      this.post({ type: 'userDetail', detail: r.detail });
    } catch (e) {
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
}
