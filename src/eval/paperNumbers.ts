/**
 * The papers' published numbers on Gowalla (the LightGCN/NGCF split), for the runs that
 * reproduce them: the bench prints them beside its own, and the metrics panel draws them as
 * a rule. One table, so both say the same thing.
 */
import type { SourceFile } from '../data/fingerprint.js';
import { catalogEntry } from '../data/download/catalog.js';

export interface PaperNumbers {
  /** how the paper names the model, for labels: "LightGCN" */
  readonly title: string;
  readonly recall: number;
  /** absent where the paper computes NDCG another way than RecLab */
  readonly ndcg?: number;
  /** where the numbers are printed */
  readonly source: string;
}

/** Recall@20 / NDCG@20 on Gowalla, by RecLab model name. */
export const GOWALLA_PAPER: Readonly<Record<string, PaperNumbers>> = {
  lightgcn: {
    title: 'LightGCN',
    recall: 0.1823,
    ndcg: 0.1555,
    source: 'LightGCN paper, Table 3 (3 layers)',
  },
  ngcf: {
    title: 'NGCF',
    recall: 0.1569,
    ndcg: 0.1327,
    source: 'LightGCN paper, Table 3 (NGCF, 3 layers)',
  },
  // the NGCF paper's NDCG is computed another way (its MF row reads 0.1878), so only Recall
  mf: { title: 'MF-BPR', recall: 0.1291, source: 'NGCF paper, Table 2 (MF-BPR, Recall@20)' },
};

/** The metric keys the papers report (the cutoff is 20 in both papers). */
export const PAPER_METRICS = ['recall@20', 'ndcg@20'] as const;
export type PaperMetric = (typeof PAPER_METRICS)[number];

/** The files a run was trained and tested on, as run.json records them, and how it split them. */
export interface RunData {
  /** the dataset's source files in order (train, test[, valid]); absent for runs saved before */
  readonly files?: readonly SourceFile[];
  /** the run's split as run.json records it (config.split); absent means the given files */
  readonly split?: unknown;
}

/**
 * The sha256 of the papers' Gowalla files, train.txt then test.txt, as the download catalog
 * pins them: the numbers above hold for exactly these files.
 */
export const GOWALLA_PINS: readonly string[] = catalogEntry('gowalla').files.map((f) => {
  if (!f.sha256) throw new Error(`the download catalog does not pin gowalla's ${f.name}`);
  return f.sha256;
});

/**
 * Whether a run is on the papers' Gowalla protocol: trained on their train.txt and tested on
 * their test.txt (the given split), decided from the files' sha256 and never from a dataset's
 * name or format, so a MovieLens run in the LightGCN layout, or a folder called gowalla with
 * other data, gets no paper number. `pins` is for tests.
 */
export function isPaperGowalla(data: RunData, pins: readonly string[] = GOWALLA_PINS): boolean {
  const files = data.files ?? [];
  if (data.split !== undefined && (data.split as { type?: unknown } | null)?.type !== 'given')
    return false;
  return files.length === pins.length && files.every((f, i) => f.sha256 === pins[i]);
}

/** The paper's numbers for a model on a run's data, when the run is on the papers' Gowalla. */
export function paperNumbers(
  model: string | undefined,
  data: RunData,
  pins?: readonly string[],
): PaperNumbers | undefined {
  const key = model?.toLowerCase() ?? '';
  if (!Object.hasOwn(GOWALLA_PAPER, key) || !isPaperGowalla(data, pins)) return undefined;
  return GOWALLA_PAPER[key];
}

export interface PaperReference {
  /** the metric key it compares with: recall@20 or ndcg@20 */
  readonly metric: PaperMetric;
  readonly value: number;
  /** "LightGCN paper 0.1823" */
  readonly label: string;
  readonly source: string;
}

/** The papers' values a run's curves can be compared with, one per metric the paper reports. */
export function paperReferences(
  model: string | undefined,
  data: RunData,
  pins?: readonly string[],
): PaperReference[] {
  const p = paperNumbers(model, data, pins);
  if (!p) return [];
  const ref = (metric: PaperMetric, value: number): PaperReference => ({
    metric,
    value,
    label: `${p.title} paper ${value.toFixed(4)}`,
    source: p.source,
  });
  return [ref('recall@20', p.recall), ...(p.ndcg !== undefined ? [ref('ndcg@20', p.ndcg)] : [])];
}

/** The reference for exactly this metric key (name and K must match), if any. */
export function paperReference(
  metric: string,
  model: string | undefined,
  data: RunData,
  pins?: readonly string[],
): PaperReference | undefined {
  const key = metric.trim().toLowerCase();
  return paperReferences(model, data, pins).find((r) => r.metric === key);
}
