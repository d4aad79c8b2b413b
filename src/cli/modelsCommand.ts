/**
 * `reclab models [name]`: the models with their titles and papers; with a name, its
 * hyperparameters with their defaults, accepted values, descriptions and sources. The same
 * table ends `reclab train --model <name> --help`.
 */
import type { Command } from 'commander';
import { describeRange, type HyperDeclaration } from '../models/hyperparameters.js';
import { MODELS, modelEntry, type ModelEntry } from '../models/registry.js';
import type { HyperValue } from '../models/types.js';
import { formatTable } from './format.js';

export interface ModelsIo {
  out: (line: string) => void;
}

/** One hyperparameter as `--json` prints it: its declaration with its name and default. */
export type HyperInfo = HyperDeclaration & {
  readonly name: string;
  readonly default: HyperValue;
  readonly accepts: string;
};

export function hyperInfo(entry: ModelEntry): HyperInfo[] {
  return Object.entries(entry.hyper).map(([name, d]) => ({
    name,
    default: entry.defaults[name],
    accepts: describeRange(d),
    ...d,
  }));
}

function shownDefault(v: HyperValue): string {
  return v === '' ? '""' : String(v);
}

/** A model's title, paper and hyperparameter table, as people read it. */
export function modelDetails(entry: ModelEntry): string[] {
  const lines = [`${entry.name}: ${entry.title}`];
  if (entry.paper) lines.push(`paper: ${entry.paper}`);
  const rows = hyperInfo(entry);
  if (rows.length === 0) {
    lines.push('', `${entry.name} has no hyperparameters.`);
    return lines;
  }
  lines.push(
    '',
    formatTable(
      ['hyperparameter', 'default', 'accepts', 'description; where the default comes from'],
      rows.map((h) => [
        h.name,
        shownDefault(h.default),
        h.accepts,
        `${h.description}; ${h.source}`,
      ]),
      ['l', 'r', 'l', 'l'],
    ),
    '',
    'Set them under "hyper" in an experiment file, or with `reclab train --hyper name=value`',
    '(--dim, --lr, --reg, --batch-size and --layers set those directly).',
  );
  return lines;
}

function listModels(json: boolean | undefined, io: ModelsIo): void {
  const all = [...MODELS.values()];
  io.out(
    formatTable(
      ['model', 'title', 'trains', 'paper'],
      all.map((m) => [m.name, m.title, m.trainable ? 'yes' : 'no', m.paper ?? '-']),
      ['l', 'l', 'l', 'l'],
    ),
  );
  io.out('');
  io.out('`reclab models <model>` lists its hyperparameters with defaults, ranges and sources.');
  if (json)
    io.out(
      JSON.stringify({
        models: all.map((m) => ({
          name: m.name,
          title: m.title,
          paper: m.paper,
          trainable: m.trainable,
          hyperparameters: Object.keys(m.hyper),
        })),
      }),
    );
}

function showModel(name: string, json: boolean | undefined, io: ModelsIo): void {
  const entry = modelEntry(name);
  for (const line of modelDetails(entry)) io.out(line);
  if (json)
    io.out(
      JSON.stringify({
        name: entry.name,
        title: entry.title,
        paper: entry.paper,
        trainable: entry.trainable,
        hyper: hyperInfo(entry),
      }),
    );
}

/**
 * Help text after `reclab train --help`: the chosen model's hyperparameters when `--model`
 * came before `--help` (commander has parsed the options before it prints help), else a pointer.
 */
export function trainHelpAfter(context: { command: Command }): string {
  const model = (context.command.opts() as { model?: unknown }).model;
  const entry = typeof model === 'string' ? MODELS.get(model.toLowerCase()) : undefined;
  if (!entry)
    return '\nModel hyperparameters: `reclab train --model <name> --help` or `reclab models <name>`.';
  return `\n${modelDetails(entry).join('\n')}`;
}

export function registerModelsCommand(program: Command, io: ModelsIo): void {
  program
    .command('models')
    .description(
      "List the models with their papers; with a model's name, its hyperparameters (defaults, ranges, sources)",
    )
    .argument('[model]', `model name: ${[...MODELS.keys()].join(', ')}`)
    .option('--json', 'print one JSON object as the last line')
    .action((name: string | undefined, o: { json?: boolean }) => {
      if (name) showModel(name, o.json, io);
      else listModels(o.json, io);
    });
}
