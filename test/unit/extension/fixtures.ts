import type { SourceFile } from '../../../src/data/fingerprint.js';
import type { RunRecord, RunStatus } from '../../../src/runs/format.js';
import type { SelectOn } from '../../../src/runs/experiment.js';

export function fakeRun(
  id: string,
  o: {
    dataset?: string;
    model?: string;
    status?: RunStatus;
    metrics?: Record<string, number>;
    seconds?: number;
    name?: string;
    history?: RunRecord['history'];
    config?: Record<string, unknown>;
    /** run.json's fingerprint of the dataset's files */
    files?: SourceFile[];
    error?: string;
    epoch?: number;
    /** how the summary's epoch was chosen */
    selectOn?: SelectOn;
    /** the user's tags in run.json */
    tags?: string[];
  } = {},
): RunRecord {
  return {
    id,
    dir: `/ws/.reclab/runs/${id}`,
    meta: {
      id,
      name: o.name ?? id,
      model: o.model ?? 'mf',
      dataset: o.dataset ?? 'demo',
      createdAt: '2026-01-01T00:00:00Z',
      config: o.config ?? {},
      env: {
        reclab: '0',
        node: 'v20',
        platform: 'linux',
        cpus: 2,
        host: 'h',
        backend: 'js',
        threads: 1,
      },
      ...(o.files ? { data: { users: 3, items: 4, train: 8, test: 3, files: o.files } } : {}),
      ...(o.tags ? { tags: o.tags } : {}),
    },
    state: {
      status: o.status ?? 'done',
      updatedAt: '',
      pid: 1,
      host: 'h',
      epoch: o.epoch ?? 3,
      epochs: 5,
      ...(o.error ? { error: o.error } : {}),
    },
    summary: o.metrics
      ? {
          metrics: o.metrics,
          epochsRun: 5,
          stoppedEarly: false,
          seconds: o.seconds ?? 12.5,
          trainSeconds: 10,
          evalSeconds: 2.5,
          ...(o.selectOn ? { selectOn: o.selectOn, selectedEpoch: 4 } : {}),
        }
      : undefined,
    history: o.history ?? [],
    problems: [],
  };
}
