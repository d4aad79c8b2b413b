import { readFileSync } from 'node:fs';
import { buildCsr } from '../src/data/csr.js';
import { createDotRanker } from '../src/engine/ranker/dotRanker.js';
import { Rng } from '../src/engine/rng.js';
async function main(): Promise<void> {
  const us: number[] = []; const is: number[] = []; let nU = 0; let nI = 0;
  for (const line of readFileSync('../shared/datasets/gowalla/train.txt', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/).map(Number); if (f.length < 2) continue;
    nU = Math.max(nU, f[0] + 1); for (let i = 1; i < f.length; i++) { us.push(f[0]); is.push(f[i]); nI = Math.max(nI, f[i] + 1); }
  }
  const train = buildCsr(nU, nI, Int32Array.from(us), Int32Array.from(is));
  const dim = 64; const rng = new Rng(1);
  const U = new Float32Array(nU * dim).map(() => rng.normal() * 0.1);
  const I = new Float32Array(nI * dim).map(() => rng.normal() * 0.1);
  const users = Int32Array.from({ length: nU }, (_, i) => i);
  for (const threads of (process.argv[2] ?? '2,1').split(',').map(Number)) {
    const r = createDotRanker(U, I, dim, { threads });
    await r.topK(users.subarray(0, 256), 20, [train]);
    const t = performance.now();
    const out = await r.topK(users, 20, [train]);
    console.log(`threads ${threads}: ${((performance.now() - t) / 1000).toFixed(2)} s for ${nU} users x ${nI} items, first ${out.slice(0, 5)}`);
    await r.dispose();
  }
}
void main();
