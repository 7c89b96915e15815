// ESLint flat config: `npm run lint` runs it with madge (import cycles) and Prettier (layout).
// TypeScript is linted with typescript-eslint's type-checked rules (they read tsconfig.json through the
// project service); the plain JavaScript (scripts, benchmarks, test helpers) gets the untyped rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The Node.js globals the .mjs/.cjs files may use (ESLint's `no-undef` checks plain JavaScript only;
// TypeScript checks its own files). Listed here so the config needs no extra package.
const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'AbortSignal',
    'Blob',
    'Buffer',
    'TextDecoder',
    'TextEncoder',
    'URL',
    'URLSearchParams',
    'clearImmediate',
    'clearInterval',
    'clearTimeout',
    'console',
    'crypto',
    'fetch',
    'global',
    'globalThis',
    'performance',
    'process',
    'queueMicrotask',
    'setImmediate',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', 'test/fixtures/', '.tmp/'],
  },

  // Every file: ESLint's recommended rules and the house rules.
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },

  // TypeScript: the type-checked rule set.
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // A limiter rejects with `signal.reason`, and a caught error is passed on as it came: both are
      // `any`/`unknown` by type and must not be wrapped. A literal that is not an Error is still caught.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },

  // Plain JavaScript: untyped rules, Node globals.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: nodeGlobals,
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, require: 'readonly', module: 'writable', exports: 'writable' } },
  },

  // Code that prints on purpose: the logger's console mode, the CLI, and the command-line scripts and
  // benchmarks (their output is the report).
  {
    files: ['src/logger.ts', 'src/cli/**', 'scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
