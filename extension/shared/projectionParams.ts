/**
 * UMAP / t-SNE settings: their defaults and ranges, shared by the panel's inputs, the host's
 * cache and the worker. Pure and dependency-free, so the extension host does not bundle the
 * layout libraries.
 */
import type { ProjectionParams } from './messages.js';

/**
 * Most points UMAP and t-SNE are run on unless the panel says otherwise; PCA takes every node.
 * UMAP (umap-js: approximate neighbours, then SGD) handles 5,000 points in seconds; druidjs's
 * t-SNE is exact, O(n²) in time and memory per iteration (two n x n float64 matrices), so it
 * gets fewer.
 */
export const SAMPLE_LIMITS = { umap: 5000, tsne: 2000 } as const;
/** The largest sample the panel may ask for. */
export const SAMPLE_MAX = { umap: 20000, tsne: 4000 } as const;
/** umap-js's own defaults. */
export const UMAP_DEFAULTS = { neighbors: 15, minDist: 0.1 } as const;
export const TSNE_DEFAULT_PERPLEXITY = 30;

const clamp = (v: number | undefined, lo: number, hi: number, dflt: number) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;

export type Sampled = 'umap' | 'tsne';

/**
 * The settings a UMAP or t-SNE layout is computed with: the panel's, held to sensible ranges,
 * the defaults for the rest; every field of the method set, so equal settings give one key.
 */
export function effectiveParams(
  method: Sampled,
  p: ProjectionParams = {},
): ProjectionParams & { readonly sample: number } {
  const sample = Math.round(clamp(p.sample, 10, SAMPLE_MAX[method], SAMPLE_LIMITS[method]));
  if (method === 'umap')
    return {
      neighbors: Math.round(clamp(p.neighbors, 2, 200, UMAP_DEFAULTS.neighbors)),
      minDist: clamp(p.minDist, 0, 1, UMAP_DEFAULTS.minDist),
      sample,
    };
  return { perplexity: clamp(p.perplexity, 2, 100, TSNE_DEFAULT_PERPLEXITY), sample };
}

/** One key per distinct layout: PCA has no settings; UMAP / t-SNE have their effective ones. */
export function projectionKey(method: 'pca' | Sampled, p?: ProjectionParams): string {
  if (method === 'pca') return 'pca';
  const e = effectiveParams(method, p);
  return `${method}-${Object.entries(e)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',')}`;
}
