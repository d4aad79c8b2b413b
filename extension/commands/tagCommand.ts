/**
 * Tag Run...: the tags of one run edited in a box (comma-separated, prefilled with its tags),
 * or tags added to several runs at once (the Compare panel's checked runs). The library checks
 * each tag and writes run.json atomically (src/runs/tags.ts).
 */
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/runs/format.js';
import { parseTagList, runTags, tagRun } from '../../src/runs/tags.js';
import type { Services } from '../services.js';
import { displayMessage } from '../util/errorText.js';
import { runLabel } from '../views/runLabels.js';
import { isRunNode, resolveRun } from './pickRun.js';

const SOURCE = 'Tag Run';

/** An empty box clears the tags; anything else must parse as a list of tags. */
function tagsOf(text: string): string[] {
  return text.trim() ? parseTagList(text, SOURCE) : [];
}

function validate(text: string): string | undefined {
  try {
    tagsOf(text);
    return undefined;
  } catch (e) {
    return displayMessage(e);
  }
}

async function runsOf(s: Services, arg: unknown): Promise<RunRecord[]> {
  if (Array.isArray(arg) && !isRunNode(arg[0])) {
    s.store.refresh();
    return arg
      .filter((x): x is string => typeof x === 'string')
      .map((id) => s.store.byId(id))
      .filter((r): r is RunRecord => r !== undefined);
  }
  const run = await resolveRun(s.store, arg, { title: 'Tag Run…' });
  return run ? [run] : [];
}

/**
 * `arg`: a tree node, a run id or a list of ids; `text` (tests, scripts): the box's answer.
 * One run: its tags become the list typed. Several: the tags typed are added to each.
 */
export async function tagExperiment(s: Services, arg: unknown, text?: unknown): Promise<void> {
  const runs = await runsOf(s, arg);
  if (runs.length === 0) return;
  const one = runs.length === 1 ? runs[0] : undefined;
  const answer =
    typeof text === 'string'
      ? text
      : await vscode.window.showInputBox({
          title: one ? `Tags of ${runLabel(one)}` : `Tags to add to ${runs.length} runs`,
          prompt: 'Comma-separated, e.g. baseline, paper',
          value: one ? runTags(one.meta).join(', ') : '',
          validateInput: validate,
        });
  if (answer === undefined) return;
  const wanted = tagsOf(answer);
  for (const r of runs) {
    const had = runTags(r.meta);
    tagRun(
      r,
      one ? { add: wanted, remove: had.filter((t) => !wanted.includes(t)) } : { add: wanted },
      SOURCE,
    );
  }
  s.store.refresh();
}
