// Rewrites schemas/experiment.schema.json's model list and hyper properties from the model
// registry's declarations (test/unit/models/hyperparameters.test.ts checks they agree): run
// `npm run schema` after adding a model or a hyperparameter. A property's hand-written
// description (the text before "Accepts") is kept; new ones take the first model's words.
import { readFileSync, writeFileSync } from 'node:fs';
import { describeRange, type HyperDeclaration } from '../src/models/hyperparameters.js';
import { MODELS } from '../src/models/registry.js';

const FILE = 'schemas/experiment.schema.json';
const schema = JSON.parse(readFileSync(FILE, 'utf8'));
const props: Record<string, Record<string, unknown>> = schema.properties.hyper.properties;

const users = new Map<string, { model: string; d: HyperDeclaration; value: unknown }[]>();
for (const [model, entry] of MODELS)
  for (const [k, d] of Object.entries(entry.hyper))
    users.set(k, [...(users.get(k) ?? []), { model, d, value: entry.defaults[k] }]);

const out: Record<string, Record<string, unknown>> = {};
const names = [
  ...Object.keys(props).filter((k) => users.has(k)),
  ...[...users.keys()].filter((k) => !(k in props)),
];
for (const k of names) {
  const list = users.get(k) ?? [];
  const d = list[0].d;
  const old = typeof props[k]?.description === 'string' ? String(props[k].description) : '';
  const cut = old.indexOf(' Accepts ');
  const lead =
    cut > 0 ? old.slice(0, cut) : `${d.description[0].toUpperCase()}${d.description.slice(1)}.`;
  const p: Record<string, unknown> = {};
  if (d.type === 'enum') p.enum = [...d.choices];
  // a number where text is declared ("gamma": 0.2) is read as its text, as on a command line
  else p.type = d.type === 'string' ? ['string', 'number'] : d.type;
  if (d.type === 'integer' || d.type === 'number') {
    if (d.min !== undefined) p[d.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = d.min;
    if (d.max !== undefined) p[d.exclusiveMax ? 'exclusiveMaximum' : 'maximum'] = d.max;
  }
  if (new Set(list.map((x) => JSON.stringify(x.value))).size === 1) p.default = list[0].value;
  const defaults = list.map((x) => `${x.model} ${JSON.stringify(x.value)}`).join(', ');
  p.description = `${lead} Accepts ${describeRange(d)}. Default: ${defaults} (sources: \`reclab models <model>\`).`;
  out[k] = p;
}
schema.properties.hyper.properties = out;
schema.properties.model.enum = [...MODELS.keys()];
writeFileSync(FILE, `${JSON.stringify(schema, null, 2)}\n`);
console.log(`${FILE}: ${names.length} hyperparameters of ${MODELS.size} models`);
