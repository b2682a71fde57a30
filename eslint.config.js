// ESLint (flat config): typescript-eslint's recommended rules for TypeScript, eslint-plugin-svelte's for Svelte 5
// components, and the one rule our architecture depends on: src/core stays pure (no DOM, no Math.random, no
// Date.now). Formatting is Prettier's job (eslint-config-prettier-like: no stylistic rules here).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['**/dist/', 'node_modules/', 'bench/results/', 'test-results/', 'playwright-report/', 'runs/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // Parsers and error printers match control characters on purpose: to refuse binary files and to strip them
      // from messages.
      'no-control-regex': 'off',
    },
  },
  {
    // Damage tests rewrite JSON documents field by field.
    files: ['**/*.test.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } },
    rules: {
      // `new URL('./x.worker.ts', import.meta.url)` only names a worker script for Vite; it is never state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    // The core runs unchanged in Node, workers and tests: time and randomness come in as data.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'src/core is pure: take a seeded RNG (core/rl/rng.ts).' },
        { object: 'Date', property: 'now', message: 'src/core is pure: take an injected clock (nowMs).' },
        { object: 'performance', property: 'now', message: 'src/core is pure: take an injected clock (nowMs).' },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage', 'indexedDB', 'fetch'],
    },
  },
);
