import { readExportFiles, verifyExport, type ChainLink, type ExportEvent } from '@termline/audit';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseCommand, type CommandOutput } from '../audit/cli-options';
import { UsageError } from '../replay/replay.command';
import { htmlReport, type ReportDocument } from './html-report';

export const REPORT_USAGE = `Usage: termline report <export> --out <report.html> [options]

Writes a printable, self-contained HTML report of an export: the verification result, then per document its chain
positions, versions and each change with the words removed and added highlighted. The export is verified first;
a report of an export that fails says so at the top.

Options:
  --out <file>           where to write the HTML
  --public-key <pem>     the key the export must be signed with
  --json                 print a summary as JSON
  -h, --help             this help`;

/** The versions of each document of an export, in order, with the hash of the commit that recorded each. */
export function documentsOf(files: ReadonlyMap<string, Buffer>): ReportDocument[] {
  const documents: ReportDocument[] = [];
  for (const [path, content] of files) {
    const match = /^documents\/([^/]+)\/events\.ndjson$/.exec(path);
    if (!match) continue;
    const lines = (name: string) =>
      (files.get(`documents/${match[1]}/${name}`) ?? Buffer.alloc(0))
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '');
    const hashes = new Map(
      lines('chain.ndjson').map((line) => {
        const link = JSON.parse(line) as ChainLink;
        return [link.commitId, link.hash];
      }),
    );
    const versions = content
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ExportEvent)
      .filter((event) => event.type === 'VersionRecorded')
      .map((event) => {
        const data = event.data as {
          version: number;
          validFrom: string;
          textSha256: string;
          text: string;
          technicalUpgrade?: boolean;
        };
        return {
          version: data.version,
          validFrom: data.validFrom,
          textSha256: data.textSha256,
          text: data.text,
          technicalUpgrade: data.technicalUpgrade === true,
          commitHash: hashes.get(event.commitId) ?? '',
        };
      });
    documents.push({ documentId: match[1]!, versions });
  }
  return documents.sort((a, b) => a.documentId.localeCompare(b.documentId));
}

export function runReport(argv: readonly string[], output: CommandOutput): number {
  const { values, positionals } = parseCommand(argv, {
    out: { type: 'string' },
    'public-key': { type: 'string' },
  });
  if (values.help) {
    output.stdout.write(`${REPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'missing <export> file' : 'one export file expected');
  if (!values.out) throw new UsageError('missing --out <report.html>');
  const file = positionals[0]!;
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  const content = readFileSync(file);
  const verification = verifyExport(content, {
    publicKey: values['public-key'] ? readFileSync(values['public-key'], 'utf8') : undefined,
  });
  if (!verification.manifest) {
    output.stderr.write(
      `termline: ${file} cannot be read as an export: ${verification.problems.map((p) => p.message).join('; ')}\n`,
    );
    return 1;
  }
  const files = new Map(readExportFiles(content).map((entry) => [entry.path, entry.content]));
  const documents = documentsOf(files);
  writeFileSync(values.out, htmlReport(verification.manifest, verification, documents, file));
  const summary = {
    out: values.out,
    verified: verification.ok,
    problems: verification.problems.length,
    documents: documents.length,
    versions: documents.reduce((n, d) => n + d.versions.length, 0),
  };
  output.stdout.write(
    values.json
      ? `${JSON.stringify(summary)}\n`
      : `Wrote ${summary.out}: ${summary.documents} documents, ${summary.versions} versions; export ${summary.verified ? 'verified' : `FAILED verification (${summary.problems} problems)`}\n`,
  );
  return verification.ok ? 0 : 1;
}
