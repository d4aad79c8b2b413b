/** What an embeddings panel saves in its webview state, and reading it back after a reload. */
import {
  isProjectionMethod,
  type EmbeddingsSelection,
  type ProjectionMethod,
  type ProjectionParams,
} from '../shared/messages.js';

export interface EmbeddingsState {
  readonly runDir: string;
  readonly runId: string;
  /** the projection on screen when the webview saved its state (PCA when absent) */
  readonly method?: ProjectionMethod;
  /** the UMAP / t-SNE settings it was computed with */
  readonly params?: ProjectionParams;
  /** the user or item selected (the webview asks for its detail again after a reload) */
  readonly selection?: EmbeddingsSelection;
}

const PARAM_KEYS = ['neighbors', 'minDist', 'perplexity', 'sample'] as const;

/** The settings a webview saved: only known fields that are finite numbers. */
export function paramsFrom(v: unknown): ProjectionParams | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const kept = PARAM_KEYS.filter((k) => typeof o[k] === 'number' && Number.isFinite(o[k]));
  return kept.length ? Object.fromEntries(kept.map((k) => [k, o[k] as number])) : undefined;
}

/** A saved selection, when it is one. */
export function selectionFrom(v: unknown): EmbeddingsSelection | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { kind, index } = v as Record<string, unknown>;
  return (kind === 'user' || kind === 'item') &&
    typeof index === 'number' &&
    Number.isInteger(index) &&
    index >= 0
    ? { kind, index }
    : undefined;
}

/** The state a restored embeddings webview saved, checked; throws when it names no run. */
export function embeddingsStateFrom(st: Record<string, unknown>): EmbeddingsState {
  if (typeof st.runDir !== 'string' || typeof st.runId !== 'string') throw new Error('no run');
  const method = isProjectionMethod(st.method) ? st.method : undefined;
  const params = paramsFrom(st.params);
  const selection = selectionFrom(st.selection);
  return {
    runDir: st.runDir,
    runId: st.runId,
    ...(method && { method }),
    ...(params && { params }),
    ...(selection && { selection }),
  };
}
