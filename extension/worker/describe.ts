/**
 * The dataset inspector's data. Figures come from the library's describe() (flattened to
 * label/value rows, whatever fields it grows), with the user-item graph's structure; the chart series are computed from the
 * interactions (datasetSeries.ts), so the webview gets arrays, not per-node objects; the split
 * sizes from describe()'s figures of the dataset's own split, when its files give one.
 */
import { userItemCsr } from '../../src/data/csr.js';
import { describe, loadDataset } from '../../src/data/index.js';
import { Rng } from '../../src/util/rng.js';
import { graphStructure } from '../../src/graph/structure.js';
import type { DatasetOptions } from '../../src/runs/experiment.js';
import type { DatasetDescription } from '../shared/messages.js';
import { describeInteractions, flattenFigures, splitSizes } from './datasetSeries.js';

export async function describeDataset(
  spec: string,
  options: DatasetOptions = {},
): Promise<DatasetDescription> {
  const ds = await loadDataset(spec, options);
  // the split chart only for a split the files define: one made here would be a guess at
  // the split a run chooses (its config and seed decide that)
  // components and Louvain communities as `reclab inspect --graph` measures them (a seeded
  // sample of users above 250,000 edges: 7.5 s on Gowalla, under a second on ml-100k)
  const rng = new Rng(1);
  const structure = graphStructure(userItemCsr(ds.interactions), { rng: () => rng.next() });
  const summary = describe(ds, ds.given, structure);
  return describeInteractions(
    ds.name,
    flattenFigures(summary),
    ds.interactions,
    splitSizes(summary.split, summary.users),
  );
}
