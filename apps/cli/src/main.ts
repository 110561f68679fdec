import { ConfigError } from '@termline/config';
import { ARCHIVE_USAGE, parseArchiveArguments, runArchive } from './archive/archive.command';
import {
  describeReplay,
  parseReplayArguments,
  REPLAY_USAGE,
  runReplay,
  UsageError,
} from './replay/replay.command';
import { runMain } from './run-main';

/** `termline <command>`: command-line tools on top of the same code as the services. */
const USAGE = `Usage: termline <command> [options]

Commands:
  replay <records> --declarations <dir> --out <versions.ndjson> [--data <dir>]
            replay Open Terms Archive snapshot records through the versioning service
  archive <verify|repair> --data <dir> [--from <records>]
            check every archived snapshot against its id; re-store damaged ones from an export

Run "termline <command> --help" for a command's options.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  try {
    switch (command) {
      case 'replay': {
        const args = parseReplayArguments(rest);
        if (args === 'help') {
          process.stdout.write(`${REPLAY_USAGE}\n`);
          return 0;
        }
        const run = await runReplay(args);
        process.stderr.write(`${describeReplay(run, args.out)}\n`);
        return 0;
      }
      case 'archive': {
        const args = parseArchiveArguments(rest);
        if (args === 'help') {
          process.stdout.write(`${ARCHIVE_USAGE}\n`);
          return 0;
        }
        return await runArchive(args, process.stdout);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(
        `termline: ${error.message}\n\n${command === 'replay' ? REPLAY_USAGE : command === 'archive' ? ARCHIVE_USAGE : USAGE}\n`,
      );
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`termline: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) runMain(main);
