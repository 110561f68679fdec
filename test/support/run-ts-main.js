// Runs a TypeScript command-line entry point (its exported `main(argv)`) in a plain child process, without a
// build: tests that must SIGKILL a command midway (a jest worker cannot be killed that way) start it with
// `node test/support/run-ts-main.js <entry.ts> [args…]`. Sources are compiled on load with the jest transform's
// settings, and `@termline/<lib>` resolves to libs/<lib>/src as in jest.config.js.
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

const [entry, ...argv] = process.argv.slice(2);
require(resolve(entry))
  .main(argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
