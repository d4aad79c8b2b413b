/**
 * How LightGCN's cost grows with the data: seconds an epoch, evaluation seconds and peak RSS on
 * seeded Gowalla-like synthetic data (src/data/synth.ts: users and items scaled with the
 * interactions, Gowalla's degree laws, 80/20 per user) of 0.1M, 1M, 3M and 10M interactions.
 * Each point runs in a process of its own (bench/scale/point.ts), so its peak RSS is its own.
 *
 *   npm run bench -- scale [--points 0.1,1,3,10] [--epochs 1] [--threads 2] [--seed 2020]
 *     [--eval-users all|N] [--max-epoch-seconds S]
 *
 * Paper hyperparameters (d=64, 3 layers, batch 2048, one triple per training interaction an
 * epoch); evaluation ranks all items for every test user (--eval-users N: a seeded sample),
 * training items excluded. --max-epoch-seconds cuts long epochs and extrapolates their time
 * from the batches done; the point's JSON then says so (epochEstimatedFromBatches).
 * Last stdout line: {"points": [{"interactions", "users", "items", "epochSeconds",
 * "evalSeconds", "peakRssMB", ...}, ...], ...}.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { errorMessage } from '../src/util/errors.js';
import { benchArgs, machine } from './common.js';
import {
  POINT_DEFAULTS,
  parsePointOptions,
  parsePoints,
  pointArgs,
  type PointOptions,
  type ScalePoint,
} from './scale/options.js';

const POINT_SCRIPT = 'bench/scale/point.ts';

/** Runs one point's process, echoing its lines; its last line is its JSON. */
function runPoint(millions: number, o: PointOptions): Promise<ScalePoint> {
  const label = `[${millions}M]`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', POINT_SCRIPT, '--point', String(millions), ...pointArgs(o)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let last = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    last = line;
    if (!line.startsWith('{')) console.log(`${label} ${line}`);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) reject(new Error(`${label} exited with ${signal ?? `code ${code}`}`));
      else resolve(JSON.parse(last) as ScalePoint);
    });
  });
}

function table(points: readonly ScalePoint[]): string {
  const rows = points.map((p) => [
    `${p.interactions / 1e6}M`,
    String(p.users),
    String(p.items),
    `${p.epochSeconds}${p.epochEstimatedFromBatches !== undefined ? ` (${p.epochEstimatedFromBatches}/${p.batchesPerEpoch} batches)` : ''}`,
    `${p.evalSeconds}${p.evalUsersSampledFrom !== undefined ? ` (${p.evalUsers} of ${p.evalUsersSampledFrom} users)` : ''}`,
    String(p.peakRssMB),
    String(p['recall@20']),
  ]);
  const head = ['interactions', 'users', 'items', 'epoch s', 'eval s', 'peak RSS MB', 'recall@20'];
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  return [head, ...rows].map((r) => r.map((x, c) => x.padStart(width[c])).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const args = benchArgs({ points: '0.1,1,3,10', ...POINT_DEFAULTS });
  const millions = parsePoints(args.points).map((n) => n / 1e6);
  const o = parsePointOptions(args);
  const t0 = performance.now();
  const points: ScalePoint[] = [];
  let failed: string | undefined;
  for (const m of millions) {
    try {
      points.push(await runPoint(m, o));
    } catch (e) {
      // the points measured so far are still reported
      failed = errorMessage(e);
      process.exitCode = 1;
      break;
    }
  }
  console.log(table(points));
  console.log(
    JSON.stringify({
      bench: 'scale',
      model: 'lightgcn',
      threads: o.threads,
      points,
      ...(failed !== undefined && { failed }),
      totalSeconds: Math.round((performance.now() - t0) / 1000),
      machine: machine(),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(errorMessage(e));
  process.exitCode = 1;
});
