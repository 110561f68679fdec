import { verifyExport, type VerifyReport } from '@termline/audit';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../replay/replay.command';
import { parseCommand, type CommandOutput } from './cli-options';
import { openExportFile } from './export-file.reader';

export const VERIFY_USAGE = `Usage: termline verify <export> [options]

Checks an export (bundle or NDJSON) on its own, with no server and no database: every file hash and the root hash,
every commit hash and the chain's continuity from the link before the range, texts against their events, every
snapshot's sha256, the counts, and the manifest's signature. Exit code 0 only when everything holds, 1 otherwise.

Options:
  --public-key <pem>     the key the manifest must be signed with (without it, the key the manifest names)
  --known-hash <hash>    a chain hash obtained before (a published head): it must be in the export (repeatable)
  --json                 print the report as JSON
  -h, --help             this help`;

export function runVerify(argv: readonly string[], output: CommandOutput): number {
  const { values, positionals } = parseCommand(argv, {
    'public-key': { type: 'string' },
    'known-hash': { type: 'string', multiple: true },
  });
  if (values.help) {
    output.stdout.write(`${VERIFY_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'missing <export> file' : 'one export file expected');
  const file = positionals[0]!;
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
  const knownHashes = values['known-hash'] ?? [];
  for (const hash of knownHashes)
    if (!/^[0-9a-f]{64}$/.test(hash))
      throw new UsageError(`--known-hash must be a 64-character hex sha256, got "${hash}"`);
  const keyFile = values['public-key'];
  if (keyFile !== undefined && !existsSync(keyFile))
    throw new UsageError(`--public-key ${keyFile}: no such file`);
  const started = process.hrtime.bigint();
  const bundle = openExportFile(file);
  let report: VerifyReport;
  try {
    report = verifyExport(bundle.files, {
      publicKey: keyFile ? readFileSync(keyFile, 'utf8') : undefined,
      knownHashes,
    });
  } finally {
    bundle.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mbPerSecond = report.checked.bytes / 1e6 / Math.max(seconds, 1e-6);
  output.stdout.write(
    values.json
      ? `${JSON.stringify({ file, ...report, manifest: undefined, seconds, mbPerSecond })}\n`
      : `${describeVerify(file, report, seconds, mbPerSecond)}\n`,
  );
  return report.ok ? 0 : 1;
}

export function describeVerify(
  file: string,
  report: VerifyReport,
  seconds: number,
  mbPerSecond: number,
): string {
  const { checked } = report;
  const lines = [
    `${report.ok ? 'OK' : 'FAILED'}: ${file}`,
    `Checked ${checked.files} files, ${checked.commits} commits, ${checked.events} events, ${checked.texts} texts, ${checked.snapshots} snapshots ` +
      `(${(checked.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s, ${mbPerSecond.toFixed(1)} MB/s)`,
  ];
  if (report.manifest?.signature) lines.push(`Signed by key ${report.manifest.signature.keyId}`);
  for (const problem of report.problems)
    lines.push(`  ${problem.check}: ${problem.where}: ${problem.message}`);
  if (!report.ok) lines.push(`${report.problems.length} problem(s)`);
  return lines.join('\n');
}
