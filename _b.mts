import { loadDataset } from './src/data/index.js';
const t0 = performance.now();
const d = await loadDataset('csv:/tmp/reclab_big.tsv');
console.log(d.interactions.users.length, (performance.now() - t0).toFixed(0), 'ms');
