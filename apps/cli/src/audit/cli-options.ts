import { CONFIG_DEFAULTS } from '@termline/config';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../replay/replay.command';

/**
 * Flag parsing shared by the audit commands, so they behave alike: strict flags, `-h/--help`, `--json`, and a
 * UsageError (exit 2) for anything unknown or missing.
 */
export type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommand<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Where the embedded store lives: --data, else TERMLINE_DATA_DIR, else ./data. */
export const dataDirOf = (flag: string | undefined): string =>
  flag ?? process.env.TERMLINE_DATA_DIR ?? CONFIG_DEFAULTS.dataDir;

export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export const processOutput: CommandOutput = { stdout: process.stdout, stderr: process.stderr };
