/**
 * `reclab tag <run> [tags...]`: adds tags to a saved run (free text: "baseline", "paper"), or
 * with --remove takes them off; with no tags it prints the run's tags. The tags show in
 * `reclab compare` and in the extension's table, where they can be filtered.
 */
import type { Command, Option } from 'commander';
import { findRun } from '../runs/store.js';
import { runTags, tagRun } from '../runs/tags.js';

export interface TagIo {
  out: (line: string) => void;
}

interface TagFlags {
  remove?: boolean;
  json?: boolean;
  workspace?: string;
}

export function registerTagCommand(
  program: Command,
  io: TagIo,
  runsRoot: (workspace: string | undefined) => string,
  workspaceOption: () => Option,
): void {
  program
    .command('tag')
    .description(
      'Tag a saved run (e.g. baseline, paper): the tags show and filter in `reclab compare` and the Compare panel; with no tags, print them',
    )
    .argument('<run>', 'run id, prefix, name or folder')
    .argument('[tags...]', `tags to add (or to remove with --remove)`)
    .option('--remove', 'take the tags off the run instead')
    .option('--json', 'print one JSON object as the last line')
    .addOption(workspaceOption())
    .action((ref: string, tags: string[], o: TagFlags) => {
      const run = findRun(runsRoot(o.workspace), ref);
      const source = o.remove ? 'reclab tag --remove' : 'reclab tag';
      const after =
        tags.length === 0
          ? runTags(run.meta)
          : tagRun(run, o.remove ? { remove: tags } : { add: tags }, source);
      const name = run.meta?.name ?? run.id;
      io.out(`${name}: ${after.length ? `tags ${after.join(', ')}` : 'no tags'}`);
      if (o.json) io.out(JSON.stringify({ run: run.id, name, tags: after }));
    });
}
