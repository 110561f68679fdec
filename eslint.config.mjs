// Lint: typescript-eslint with type information. Formatting is prettier's job (npm run format), not lint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The pure core must not know about frameworks or outside systems (STYLE.md, guideline 1).
const infrastructurePackages = {
  patterns: [
    { group: ['@nestjs/*'], message: 'The pure core imports no framework: keep NestJS in apps/.' },
    {
      group: ['kafkajs', 'mongodb', 'better-sqlite3'],
      message: 'The pure core talks to no outside system: use a port and an adapter library.',
    },
  ],
};

// Globals of the CommonJS scripts (jest config, test support, bin, infra probes), declared here rather than
// through a package nobody depends on directly.
const nodeGlobals = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    'process',
    'console',
    '__dirname',
    '__filename',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.infra/**',
      'data/**',
      'coverage/**',
      '.tmp/**',
      '*.js',
      '*.mjs',
      '*.cjs',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Jest matchers such as expect.any() are typed `any`, and mocks pass methods around unbound.
    files: ['**/*.spec.ts', '**/*.contract.ts', 'test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['libs/domain/**/*.ts', 'libs/text/**/*.ts', 'libs/regulatory/**/*.ts', 'libs/audit/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', infrastructurePackages] },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
  },
);
