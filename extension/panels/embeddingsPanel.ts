/**
 * A run's embeddings in 2-D (PCA, UMAP or t-SNE, computed in a worker; the webview only
 * draws). The panel's dropdown and settings pick the projection; each is computed once and
 * kept, in the panel and on disk (a window reload redraws it). Clicking a user asks a worker
 * for its training items and top-K recommendations with their reasons; clicking an item lists
 * its nearest items by embedding, its most similar items by the run's item-item graph (built
 * once per panel), its users and its popularity.
 */
import { join } from 'node:path';
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
  type ProjectionParams,
  type WebviewMessage,
} from '../shared/messages.js';
import { projectionKey } from '../shared/projectionParams.js';
import type { Services } from '../services.js';
import { itemDetail } from '../shared/similarItems.js';
import { runJob } from '../training/workerClient.js';
import type { EmbeddingsState } from './embeddingsState.js';
import { Panel, PanelRegistry } from './panel.js';
import { ProjectionDiskCache } from './projectionCache.js';

export type { EmbeddingsState } from './embeddingsState.js';

/** Similar items listed per item (the graph keeps this many neighbours per row). */
export const SIMILAR_ITEMS = 20;
/** Nearest items by embedding listed per item unless the panel asks for another k. */
export const NEIGHBOURS_K = 10;

export class EmbeddingsPanel extends Panel {
  static readonly viewType = 'reclab.embeddings';
  static readonly registry = new PanelRegistry<EmbeddingsPanel>();
  /** computed projections of this run, by projectionKey (method and settings) */
  private readonly cache = new Map<string, EmbeddingProjection>();
  private readonly computing = new Map<string, Promise<EmbeddingProjection>>();
  private readonly disk: ProjectionDiskCache;
  /** the projection the user asked for last: only it is drawn when it arrives */
  private wanted: ProjectionMethod;
  private wantedParams: ProjectionParams | undefined;
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
    this.wantedParams = state.params;
    this.disk = new ProjectionDiskCache(join(s.context.globalStorageUri.fsPath, 'projections'));
    void this.refresh();
  }

  get method(): ProjectionMethod {
    return this.wanted;
  }

  /** Draws the projection last asked for (PCA first, or the one a restored panel had). */
  async refresh(): Promise<void> {
    const [method, params] = [this.wanted, this.wantedParams];
    await this.load(`Projecting embeddings (${PROJECTION_LABELS[method]})…`, async () => ({
      type: 'embeddings',
      projection: await this.projection(method, params),
    }));
  }

  /**
   * The run's projection by `method`: from the cache, or computed in a worker (one job per
   * method at a time, whoever asks), with its progress shown while it is the one wanted.
   */
  projection(method: ProjectionMethod, params?: ProjectionParams): Promise<EmbeddingProjection> {
    const key = projectionKey(method, params);
    const { runDir, runId } = this.state;
    const cached = this.cache.get(key) ?? this.disk.read(runDir, runId, key);
    if (cached) {
      this.cache.set(key, cached);
      return Promise.resolve(cached);
    }
    const running = this.computing.get(key);
    if (running) return running;
    const label = PROJECTION_LABELS[method];
    const job = runJob(
      this.s.workers,
      { type: 'project', runDir, method, ...(params ? { params } : {}) },
      'projected',
      (p) => {
        if (projectionKey(this.wanted, this.wantedParams) !== key || p.total <= 0) return;
        const pct = Math.round((100 * p.done) / p.total);
        this.post({ type: 'projecting', method, message: `computing ${label}… ${pct}%` });
      },
    )
      .then((r) => {
        this.cache.set(key, r.projection);
        // PCA of every node is quick to redo and can be large: only sampled layouts are kept
        if (method !== 'pca') this.disk.write(runDir, runId, key, r.projection);
        return r.projection;
      })
      .finally(() => this.computing.delete(key));
    this.computing.set(key, job);
    return job;
  }

  /**
   * Switches the plot to `method` with `params` (UMAP / t-SNE settings), computing it first
   * when needed (the dropdown and the settings, and tests).
   */
  async show(method: ProjectionMethod, params?: ProjectionParams): Promise<void> {
    this.wanted = method;
    this.wantedParams = params;
    const key = projectionKey(method, params);
    const isWanted = () => projectionKey(this.wanted, this.wantedParams) === key;
    if (!this.cache.has(key))
      this.post({ type: 'projecting', method, message: `computing ${PROJECTION_LABELS[method]}…` });
    try {
      const projection = await this.projection(method, params);
      if (isWanted()) this.post({ type: 'embeddings', projection });
    } catch (e) {
      if (isWanted())
        this.post({
          type: 'error',
          message: `${PROJECTION_LABELS[method]} failed: ${errorMessage(e)}`,
        });
      throw e;
    }
  }

  /**
   * Item `index`'s detail: its most similar items by the run's item-item graph (built once),
   * its `k` nearest items by embedding, its users and its popularity (a worker job per click).
   */
  async similarTo(index: number, k = NEIGHBOURS_K): Promise<ItemDetail> {
    this.itemGraph ??= runJob(
      this.s.workers,
      { type: 'itemGraph', runDir: this.state.runDir, k: SIMILAR_ITEMS },
      'itemGraphBuilt',
    ).then((r) => r.graph);
    // a failed build is not kept: the next click tries again
    this.itemGraph.catch(() => (this.itemGraph = undefined));
    const inspected = runJob(
      this.s.workers,
      { type: 'inspectItem', runDir: this.state.runDir, index, k },
      'itemInspected',
    );
    const [graph, more] = await Promise.all([this.itemGraph, inspected]);
    const detail: ItemDetail = { ...itemDetail(graph, index), ...more.detail };
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
      // the error is shown in the panel
      await this.show(m.method, m.params).catch(() => undefined);
      return;
    }
    if (m.type === 'selectItem') {
      const k =
        m.k !== undefined && Number.isInteger(m.k) && m.k > 0 ? Math.min(m.k, 200) : undefined;
      await this.similarTo(m.index, k).catch((e: unknown) =>
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
