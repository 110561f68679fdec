// Lets plain Node load the repository's TypeScript sources without a build, as jest does: `.ts` files are compiled
// on load with the jest transform's settings (@swc/core), and `@termline/<lib>` resolves to libs/<lib>/src as in
// jest.config.js. Used by run-ts-main.js (commands a test must SIGKILL) and by the worker pool's threads when the
// pool runs from sources (under jest): a built service never loads it.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const root = resolve(__dirname, '..', '..');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@termline\/(.*)$/.exec(request);
  return resolveFilename.call(this, alias ? join(root, 'libs', alias[1], 'src') : request, ...rest);
};
Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
