/**
 * Five tiers, named by file suffix: unit (no I/O), int (a real store or broker), e2e (the whole system), corpus
 * (the evaluation on the real corpus, minutes long: `npm run test:corpus`) and fault (built processes SIGKILLed
 * under load: `npm run test:fault`); the last two are not part of `npm test`.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = { '^@termline/(.*)$': '<rootDir>/libs/$1/src' };
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/property-seed.js', '<rootDir>/test/support/test-env.js'],
};

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.js',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{apps,libs,bench,test/fault}/**/*.unit.spec.ts',
        '<rootDir>/test/fixtures/**/*.unit.spec.ts',
      ],
    },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{apps,libs}/**/*.int.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.spec.ts'] },
    { ...common, displayName: 'corpus', testMatch: ['<rootDir>/test/corpus/**/*.corpus.spec.ts'] },
    { ...common, displayName: 'fault', testMatch: ['<rootDir>/test/fault/**/*.fault.spec.ts'] },
  ],
};
