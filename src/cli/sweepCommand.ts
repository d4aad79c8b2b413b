/**
 * `reclab sweep <file>`: expands the experiment file's "sweep" into its points, checks them all,
 * then trains them one after another (each a normal run, tagged with the sweep and its point),
 * skipping points already finished, and ends with the sweep's runs compared (seeds folded).
 */
import type { Command, Option } from 'commander';
import { readExperimentFile } from '../runs/experiment.js';
import type { RunRecord } from '../runs/format.js';
import type { ExperimentResult, RunOptions } from '../runs/runExperiment.js';
import { runSweep, type PointOutcome } from '../runs/runSweep.js';
import { listRuns } from '../runs/store.js';
import { expandSweep, type Sweep } from '../runs/sweep.js';
import type { ExperimentConfig } from '../runs/experiment.js';
import { comparisonLines } from './compareCommand.js';

export interface SweepIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface SweepCommandDeps {
  readonly runsRoot: (workspace: string | undefined) => string;
  readonly workspaceOption: () => Option;
  /** trains one point with the CLI's progress line and Ctrl-C handling */
  readonly train: (config: ExperimentConfig, o: RunOptions) => Promise<ExperimentResult>;
}

function planLines(sweep: Sweep): string[] {
  return sweep.points.map((p) => `  ${p.index + 1}. ${p.config.name}`);
}

const STATUS_TEXT: Record<PointOutcome['status'], string> = {
  'finished before': 'finished before, skipped',
  'running elsewhere': 'being trained by another process, skipped',
  resumed: 'resuming its stopped run',
  trained: 'training',
};

export function registerSweepCommand(program: Command, io: SweepIo, deps: SweepCommandDeps): void {
  program
    .command('sweep')
    .description(
      'Run the sweep of an experiment file: every point (grid) or a seeded random draw, each a normal run; run again, it skips the points it finished',
    )
    .argument('<experiment>', 'experiment file with a "sweep" object')
    .option('--dry-run', 'list the points and stop')
    .option('--json', 'print one JSON object as the last line')
    .addOption(deps.workspaceOption())
    .action(async (file: string, o: { dryRun?: boolean; json?: boolean; workspace?: string }) => {
      const sweep = expandSweep(readExperimentFile(file), file);
      io.out(`sweep ${sweep.id}: ${sweep.points.length} points (${sweep.search})`);
      if (o.dryRun) {
        for (const line of planLines(sweep)) io.out(line);
        if (o.json)
          io.out(
            JSON.stringify({
              sweep: sweep.id,
              points: sweep.points.map((p) => ({
                name: p.config.name,
                key: p.key,
                values: p.values,
              })),
            }),
          );
        return;
      }
      const n = sweep.points.length;
      const outcomes = await runSweep(sweep, {
        workspace: o.workspace,
        source: file,
        run: deps.train,
        onPoint: (p, status, run) =>
          io.err(
            `[${p.index + 1}/${n}] ${p.config.name}: ${STATUS_TEXT[status]}${run ? ` (run ${run.id})` : ''}`,
          ),
      });
      const ids = new Set(outcomes.map((x) => x.runId));
      const runs: RunRecord[] = listRuns(deps.runsRoot(o.workspace)).filter((r) => ids.has(r.id));
      const trained = outcomes.filter((x) => x.status === 'trained' || x.status === 'resumed');
      io.out(`${trained.length} trained, ${n - trained.length} skipped; the sweep's runs:`);
      for (const line of comparisonLines(runs)) io.out(line);
      io.out(
        `runs saved under ${deps.runsRoot(o.workspace)}; \`reclab compare\` shows them with the rest`,
      );
      if (o.json)
        io.out(
          JSON.stringify({
            sweep: sweep.id,
            points: outcomes.map((x) => ({
              name: x.point.config.name,
              key: x.point.key,
              values: x.point.values,
              status: x.status,
              run: x.runId,
            })),
          }),
        );
    });
}
