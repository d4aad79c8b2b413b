import { loadLightGcnFiles } from './src/data/loaders/lightgcn.js';
const t0 = performance.now();
const d = await loadLightGcnFiles('/work/shared/datasets/gowalla/train.txt', '/work/shared/datasets/gowalla/test.txt');
console.log(d.userIds.ids.length, d.itemIds.ids.length, d.given!.train.users.length, d.given!.test.users.length, d.interactions.users.length, (performance.now() - t0).toFixed(0) + ' ms');
