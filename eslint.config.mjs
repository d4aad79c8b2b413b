// @ts-check
import js from '@eslint/js';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { layerOrder } from './eslint-rules/layerOrder.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.wasm', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // CommonJS launcher scripts
    files: ['bin/**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', __dirname: 'readonly', module: 'writable' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The headless library must never depend on the editor.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['vscode'], patterns: ['../extension/*', '../../extension/*'] },
      ],
    },
  },
  {
    // The library's layers, lowest first: a folder imports only from its own or lower ones.
    files: ['src/**/*.ts'],
    plugins: { reclab: { rules: { 'layer-order': layerOrder } } },
    rules: {
      'reclab/layer-order': [
        'error',
        {
          root: fileURLToPath(new URL('./src', import.meta.url)),
          layers: ['util', 'data', 'graph', 'engine', 'eval', 'train', 'models', 'runs', 'cli'],
        },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode', 'fs', 'path', 'worker_threads'] }],
    },
  },
);
