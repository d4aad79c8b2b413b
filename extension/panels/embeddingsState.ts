/** What an embeddings panel saves in its webview state, and reading it back after a reload. */
import { isProjectionMethod, type ProjectionMethod } from '../shared/messages.js';

export interface EmbeddingsState {
  readonly runDir: string;
  readonly runId: string;
  /** the projection on screen when the webview saved its state (PCA when absent) */
  readonly method?: ProjectionMethod;
}

/** The state a restored embeddings webview saved, checked; throws when it names no run. */
export function embeddingsStateFrom(st: Record<string, unknown>): EmbeddingsState {
  if (typeof st.runDir !== 'string' || typeof st.runId !== 'string') throw new Error('no run');
  const method = isProjectionMethod(st.method) ? st.method : undefined;
  return { runDir: st.runDir, runId: st.runId, ...(method && { method }) };
}
