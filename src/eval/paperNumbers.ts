/**
 * The papers' published numbers on Gowalla (the LightGCN/NGCF split), for the runs that
 * reproduce them: the bench prints them beside its own, and the metrics panel draws them as
 * a rule. One table, so both say the same thing.
 */

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

/**
 * Whether a run's dataset is the papers' Gowalla: a `gowalla:<dir>` spec, or a dataset named
 * gowalla (the run's dataset label, which `lightgcn:datasets/gowalla` also gets).
 */
export function isGowalla(dataset: string | undefined): boolean {
  const d = dataset?.trim().toLowerCase() ?? '';
  return d === 'gowalla' || d.startsWith('gowalla:');
}

/** The paper's numbers for a model on a dataset (spec or name), when there are any. */
export function paperNumbers(
  model: string | undefined,
  ...datasets: Array<string | undefined>
): PaperNumbers | undefined {
  const key = model?.toLowerCase() ?? '';
  if (!datasets.some(isGowalla) || !Object.hasOwn(GOWALLA_PAPER, key)) return undefined;
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
  ...datasets: Array<string | undefined>
): PaperReference[] {
  const p = paperNumbers(model, ...datasets);
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
  ...datasets: Array<string | undefined>
): PaperReference | undefined {
  const key = metric.trim().toLowerCase();
  return paperReferences(model, ...datasets).find((r) => r.metric === key);
}
