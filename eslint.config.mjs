// Lint: typescript-eslint with type information. Formatting is prettier's job (npm run format), not lint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The pure core must not know about frameworks or outside systems (STYLE.md, guideline 1).
const infrastructurePackages = {
  patterns: [
    {
      group: ['@nestjs/*'],
      message: 'The pure core imports no framework: keep NestJS in apps/ and the edge libraries.',
    },
    {
      group: ['kafkajs', 'mongodb', 'better-sqlite3'],
      message: 'The pure core talks to no outside system: use a port and an adapter library.',
    },
  ],
};

// Apps are entry points over libraries (ADR 0016): what two processes share lives in libs/ and is imported as
// @termline/<name>, never through a relative path into another app, into apps/ from a library, or into the
// bench and test trees, which are not part of the product.
const appImportingApp = {
  regex: '^(\\.\\./)+(apps/)?(cli|gateway|projection|termline|versioning)/src(/|$)',
  message:
    'An app does not import another app: move what both need into a library under libs/ (@termline/<name>).',
};
const libraryImportingApp = {
  regex: '(^|/)apps/',
  message: 'A library does not import an app: apps depend on libraries, not the other way round.',
};
const productImportingTests = {
  regex: '^(\\.\\./)+(bench|test)/',
  message: 'bench/ and test/ are not part of the product: move what the product needs into a library.',
};
const appLayering = { patterns: [appImportingApp, productImportingTests] };
const libraryLayering = { patterns: [libraryImportingApp, productImportingTests] };
const pureCoreLayering = {
  patterns: [...infrastructurePackages.patterns, ...libraryLayering.patterns],
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
  { files: ['apps/**/*.ts'], rules: { 'no-restricted-imports': ['error', appLayering] } },
  { files: ['libs/**/*.ts'], rules: { 'no-restricted-imports': ['error', libraryLayering] } },
  {
    // Later in the list, so it replaces the library rule for these files: it carries the layering patterns too.
    files: ['libs/domain/**/*.ts', 'libs/text/**/*.ts', 'libs/regulatory/**/*.ts', 'libs/audit/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', pureCoreLayering] },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
  },
);
