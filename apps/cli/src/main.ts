import { ConfigError } from '@termline/config';
import { ARCHIVE_USAGE, parseArchiveArguments, runArchive } from './archive/archive.command';
import { processOutput } from './audit/cli-options';
import { EXPORT_USAGE, runExport } from './audit/export.command';
import { KEYGEN_USAGE, runKeygen } from './audit/keygen.command';
import { runVerify, VERIFY_USAGE } from './audit/verify.command';
import { IMPORT_USAGE, runImport } from './import/import.command';
import {
  DIFF_USAGE,
  DOCUMENTS_USAGE,
  runDiff,
  runDocuments,
  runSnapshot,
  runTimeline,
  SNAPSHOT_USAGE,
  TIMELINE_USAGE,
} from './read/read.command';
import { CommandFailure } from './read/read-source';
import { REBUILD_USAGE, runRebuild } from './rebuild/rebuild.command';
import { REPORT_USAGE, runReport } from './report/report.command';
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
  replay <records> (--declarations <dir> [--data <dir>] | --api <url> --key <key>) --out <versions.ndjson>
            replay Open Terms Archive snapshot records through the versioning service
  import <versions repository | .bundle | records.ndjson[.gz|.br]> [--data <dir>] [--declarations <dir>]
            import Open Terms Archive history into the embedded store (idempotent, resumable)
  export --out <file> [--document <id> | --service <slug>] [--from <date>] [--to <date>] [--format bundle|ndjson|csv]
            export the hash-chained history for an auditor (optionally signed, optionally with snapshots)
  verify <export> [--public-key <pem>]
            check an export offline; exit 0 only when everything holds
  report <export> --out <report.html>
            a printable HTML report of an export, verified, with highlighted diffs
  keygen --out <key.pem>
            make an Ed25519 key pair for signing exports
  archive <verify|repair|rewrite> (--data <dir> | --distributed) [--from <records>]
            check every archived snapshot against its id; re-store damaged ones from an export;
            move whole copies into the dense layout
  rebuild [--data <dir>]
            rebuild the read models from the event store and swap them in
  documents [--service <name>]
            the tracked documents
  timeline [--document <id> | --service <name>] [--from <date>] [--to <date>] [--limit <n>]
            the changes, newest first
  diff <documentId> [--from <version>] [--to <version>]
            the word and provision diff between two versions
  snapshot <snapshotId> [--out <file>]
            the archived bytes of one snapshot

Every command takes --help and --json. The store is ./data (or TERMLINE_DATA_DIR, or --data <dir>);
documents, timeline, diff, snapshot, export, import, replay and rebuild also work against a running gateway with
--api <url> --key <key> (or TERMLINE_API_KEY). Exit codes: 0 done, 1 failed (not found; verify: a problem
found), 2 bad usage.`;

interface Command {
  usage: string;
  run(argv: readonly string[]): Promise<number> | number;
}

const COMMANDS: Record<string, Command> = {
  replay: {
    usage: REPLAY_USAGE,
    run: async (argv) => {
      const args = parseReplayArguments(argv);
      if (args === 'help') {
        process.stdout.write(`${REPLAY_USAGE}\n`);
        return 0;
      }
      const run = await runReplay(args);
      if (args.json) (args.out === '-' ? process.stderr : process.stdout).write(`${JSON.stringify(run)}\n`);
      else process.stderr.write(`${describeReplay(run, args.out)}\n`);
      return 0;
    },
  },
  import: { usage: IMPORT_USAGE, run: (argv) => runImport(argv, processOutput) },
  export: { usage: EXPORT_USAGE, run: (argv) => runExport(argv, processOutput) },
  verify: { usage: VERIFY_USAGE, run: (argv) => runVerify(argv, processOutput) },
  report: { usage: REPORT_USAGE, run: (argv) => runReport(argv, processOutput) },
  keygen: { usage: KEYGEN_USAGE, run: (argv) => runKeygen(argv, processOutput) },
  rebuild: { usage: REBUILD_USAGE, run: (argv) => runRebuild(argv, processOutput) },
  documents: { usage: DOCUMENTS_USAGE, run: (argv) => runDocuments(argv, processOutput) },
  timeline: { usage: TIMELINE_USAGE, run: (argv) => runTimeline(argv, processOutput) },
  diff: { usage: DIFF_USAGE, run: (argv) => runDiff(argv, processOutput) },
  snapshot: { usage: SNAPSHOT_USAGE, run: (argv) => runSnapshot(argv, processOutput) },
  archive: {
    usage: ARCHIVE_USAGE,
    run: (argv) => {
      const args = parseArchiveArguments(argv);
      if (args === 'help') {
        process.stdout.write(`${ARCHIVE_USAGE}\n`);
        return 0;
      }
      return runArchive(args, process.stdout);
    },
  },
};

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`termline: ${error.message}\n\n${command?.usage ?? USAGE}\n`);
      return 2;
    }
    if (error instanceof CommandFailure) {
      process.stderr.write(`termline ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`termline: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) runMain(main);
