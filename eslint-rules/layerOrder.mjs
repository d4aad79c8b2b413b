// @ts-check
/**
 * reclab/layer-order: a module in one folder of src/ imports only from its own folder or from
 * folders of lower layers. The order is given in eslint.config.mjs; a folder missing from it
 * is reported too, so a new one gets a place on purpose. Files directly in src/ other than the
 * public entry (index.ts, the top) are leaves any layer may import (version.ts).
 *
 * A local rule rather than no-restricted-imports patterns: it resolves each relative path, so
 * `../graph/x.js` is judged by the folder it lands in whatever the importer's depth, and it
 * leaves no-restricted-imports to the rule that keeps `vscode` out of src/.
 */
import path from 'node:path';

/** @type {import('eslint').Rule.RuleModule} */
export const layerOrder = {
  meta: {
    type: 'problem',
    docs: { description: 'src/ folders import only from their own or lower layers' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: { type: 'array', items: { type: 'string' }, minItems: 1 },
          entry: { type: 'string' },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      upward:
        '{{from}} is below {{to}} and must not import it (layers, lowest first: {{order}}); ' +
        'move what both need down to {{from}} or lower',
      entry: '{{from}} must not import the public entry {{entry}}: import the module itself',
      unplaced:
        'src/{{folder}} has no place in the layer order ({{order}}): add it in eslint.config.mjs',
    },
  },
  create(context) {
    const { root, layers, entry = 'index.ts' } = context.options[0];
    const order = layers.join(' < ');
    /** @param {string} file the layer (top folder under root) of a file, '' for root files, undefined outside root */
    const layerOf = (file) => {
      const rel = path.relative(root, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
      const parts = rel.split(path.sep);
      return parts.length > 1 ? parts[0] : '';
    };
    const from = layerOf(context.filename);
    if (from === undefined || from === '') return {};
    const rank = layers.indexOf(from);

    /** @param {import('estree').Node} node @param {unknown} spec */
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(context.filename), spec);
      const to = layerOf(target);
      if (to === undefined || to === from) return;
      if (to === '') {
        const name = path.basename(target).replace(/\.[cm]?js$/, '.ts');
        if (name === entry || name === path.parse(entry).name)
          context.report({ node, messageId: 'entry', data: { from: `src/${from}`, entry } });
        return;
      }
      const toRank = layers.indexOf(to);
      if (toRank > rank)
        context.report({
          node,
          messageId: 'upward',
          data: { from: `src/${from}`, to: `src/${to}`, order },
        });
    };

    return {
      Program(node) {
        if (rank < 0)
          context.report({ node, messageId: 'unplaced', data: { folder: from, order } });
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) =>
        check(node, node.source.type === 'Literal' ? node.source.value : undefined),
    };
  },
};
