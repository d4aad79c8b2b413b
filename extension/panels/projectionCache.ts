/**
 * Computed projections kept on disk (the extension's global storage), so a window reload
 * redraws the UMAP the user waited for instead of computing it again. A file is named by the
 * run, the layout's settings and the embeddings' modification time: a retrained run misses.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from '../../src/runs/format.js';
import { isProjectionMethod, type EmbeddingProjection } from '../shared/messages.js';

const TYPED = ['nodes', 'x', 'y', 'degree'] as const;

/** The projection as JSON text (typed arrays as plain arrays). */
export function encodeProjection(p: EmbeddingProjection): string {
  const plain: Record<string, unknown> = { ...p };
  for (const k of TYPED) if (p[k]) plain[k] = Array.from(p[k]);
  return JSON.stringify(plain);
}

const numbers = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number');

/** The projection `encodeProjection` wrote, or undefined when the text is not one. */
export function decodeProjection(text: string): EmbeddingProjection | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null || !isProjectionMethod(o.method)) return undefined;
  if (!numbers(o.x) || !numbers(o.y) || !numbers(o.degree) || !Array.isArray(o.ids))
    return undefined;
  if (o.x.length !== o.y.length || o.x.length !== o.ids.length) return undefined;
  if (o.nodes !== undefined && !numbers(o.nodes)) return undefined;
  return {
    ...(o as unknown as EmbeddingProjection),
    x: Float32Array.from(o.x),
    y: Float32Array.from(o.y),
    degree: Int32Array.from(o.degree),
    ...(o.nodes ? { nodes: Int32Array.from(o.nodes) } : {}),
  };
}

export class ProjectionDiskCache {
  constructor(private readonly dir: string) {}

  private file(runDir: string, runId: string, key: string): string | undefined {
    const emb = join(runDir, FILES.embeddings);
    if (!existsSync(emb)) return undefined;
    const stamp = Math.round(statSync(emb).mtimeMs);
    return join(this.dir, `${runId}-${key}-${stamp}.json`.replace(/[^\w.,=-]/g, '_'));
  }

  read(runDir: string, runId: string, key: string): EmbeddingProjection | undefined {
    try {
      const f = this.file(runDir, runId, key);
      return f && existsSync(f) ? decodeProjection(readFileSync(f, 'utf8')) : undefined;
    } catch {
      return undefined; // a cache: a file that cannot be read is computed again
    }
  }

  write(runDir: string, runId: string, key: string, p: EmbeddingProjection): void {
    try {
      const f = this.file(runDir, runId, key);
      if (!f) return;
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(f, encodeProjection(p));
    } catch {
      // not kept: the next window computes it again
    }
  }
}
