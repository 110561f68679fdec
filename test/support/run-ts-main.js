// Runs a TypeScript command-line entry point (its exported `main(argv)`) in a plain child process, without a
// build: tests that must SIGKILL a command midway (a jest worker cannot be killed that way) start it with
// `node test/support/run-ts-main.js <entry.ts> [args…]`. Sources are compiled on load as under jest
// (register-typescript.js).
require('./register-typescript');
const { resolve } = require('node:path');

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
