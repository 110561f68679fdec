/**
 * Runs a command-line entry point: its resolved number is the exit code; an unexpected error is printed and
 * exits with 1.
 */
export function runMain(main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
