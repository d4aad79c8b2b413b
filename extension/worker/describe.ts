/**
 * The dataset inspector's data. Figures come from the library's describe() (flattened to
 * label/value rows, whatever fields it grows); the chart series are computed from the
 * interactions (datasetSeries.ts), so the webview gets arrays, not per-node objects.
 */
import { describe, loadDataset } from '../../src/data/index.js';
import type { DatasetDescription } from '../shared/messages.js';
import { describeInteractions, flattenFigures } from './datasetSeries.js';

export async function describeDataset(spec: string): Promise<DatasetDescription> {
  const ds = await loadDataset(spec);
  const figures = flattenFigures(describe(ds, ds.given));
  return describeInteractions(ds.name, figures, ds.interactions);
}
