import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dataDirOf, parseCommand, type CommandOutput } from '../audit/cli-options';
import { positiveInteger, UsageError } from '../replay/replay.command';
import { gatewayOf, httpReadSource, localReadSource, type ReadSource } from './read-source';

/** The flags every read command shares: where to read from. */
const SOURCE_FLAGS = {
  data: { type: 'string' },
  api: { type: 'string' },
  key: { type: 'string' },
} as const;

const SOURCE_HELP = `  --data <dir>           the embedded store (default: TERMLINE_DATA_DIR, else ./data)
  --api <url>            ask a running gateway instead (e.g. http://127.0.0.1:3000) ...
  --key <key>            ... with this API key (default: TERMLINE_API_KEY)
  --json                 print JSON, for scripts
  -h, --help             this help

Exit codes: 0 done, 1 not found or failed, 2 bad usage (or a key the gateway refused).`;

export const DOCUMENTS_USAGE = `Usage: termline documents [--service <name>] [options]

Lists the tracked documents: id, versions, last change.

Options:
  --service <name>       only the documents of this service (name or slug)
${SOURCE_HELP}`;

export const TIMELINE_USAGE = `Usage: termline timeline [--document <id> | --service <name>] [options]

The changes, newest first: of everything, of one service, or of one document.

Options:
  --document <id>        one document
  --service <name>       one service
  --from <date>          changes at or after this date or instant
  --to <date>            changes before this date or instant
  --limit <n>            at most n changes (default 50, at most 200)
  --include-hidden       also technical upgrades and retracted flip-backs
${SOURCE_HELP}`;

export const DIFF_USAGE = `Usage: termline diff <documentId> [--from <version>] [--to <version>] [options]

The word and provision diff between two versions (default: the latest and the one before it), as the API serves it.

Options:
  --from <version>       the older version (default: the one before --to)
  --to <version>         the newer version (default: the latest)
${SOURCE_HELP}`;

export const SNAPSHOT_USAGE = `Usage: termline snapshot <snapshotId> [--out <file>] [options]

The archived bytes of one snapshot (its id is their sha256, checked here), to a file or to stdout.

Options:
  --out <file>           where to write (default: stdout)
${SOURCE_HELP}`;

function openSource(values: { data?: string; api?: string; key?: string }): ReadSource {
  const gateway = gatewayOf(values);
  if (gateway && values.data !== undefined) throw new UsageError('give --data or --api, not both');
  return gateway ? httpReadSource(gateway) : localReadSource(dataDirOf(values.data));
}

async function withSource<T>(
  values: { data?: string; api?: string; key?: string },
  work: (source: ReadSource) => Promise<T>,
): Promise<T> {
  const source = openSource(values);
  try {
    return await work(source);
  } finally {
    await source.close();
  }
}

const noPositionals = (positionals: string[]) => {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
};

export async function runDocuments(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseCommand(argv, { ...SOURCE_FLAGS, service: { type: 'string' } });
  if (values.help) return help(output, DOCUMENTS_USAGE);
  noPositionals(positionals);
  const documents = (await withSource(values, (source) => source.documents(values.service))) as Array<{
    documentId: string;
    versionCount: number;
    changeCount: number;
    lastChangedAt: string | null;
    lastFetchedAt: string;
  }>;
  if (values.json) output.stdout.write(`${JSON.stringify(documents)}\n`);
  else {
    for (const d of documents)
      output.stdout.write(
        `${d.documentId}\t${d.versionCount} versions\t${d.changeCount} changes\tlast change ${d.lastChangedAt ?? '-'}\tlast fetch ${d.lastFetchedAt}\n`,
      );
    output.stderr.write(
      documents.length > 0
        ? `${documents.length} documents\n`
        : '0 documents (termline import fills the event store; termline rebuild builds the read models from it)\n',
    );
  }
  return 0;
}

export async function runTimeline(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...SOURCE_FLAGS,
    document: { type: 'string' },
    service: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    'include-hidden': { type: 'boolean' },
  });
  if (values.help) return help(output, TIMELINE_USAGE);
  noPositionals(positionals);
  if (values.document !== undefined && values.service !== undefined)
    throw new UsageError('give --document or --service, not both');
  const limit = positiveInteger('--limit', values.limit) ?? 50;
  if (limit > 200) throw new UsageError(`--limit is at most 200, got ${limit}`);
  const page = await withSource(values, (source) =>
    source.timeline({
      documentId: values.document,
      service: values.service,
      from: values.from,
      to: values.to,
      limit,
      includeHidden: values['include-hidden'] ?? false,
    }),
  );
  if (values.json) output.stdout.write(`${JSON.stringify(page)}\n`);
  else {
    for (const entry of page.items as Array<{
      at: string;
      documentId: string;
      version: number;
      kind: string;
      retracted?: boolean;
      materiality?: { level: string };
      stats?: { wordsAdded: number; wordsRemoved: number };
    }>) {
      const words = entry.stats ? `+${entry.stats.wordsAdded}/-${entry.stats.wordsRemoved} words` : '';
      output.stdout.write(
        `${entry.at}\t${entry.documentId}\tv${entry.version}\t${entry.kind}${entry.retracted ? ' (retracted)' : ''}\t${entry.materiality?.level ?? '-'}\t${words}\n`,
      );
    }
    output.stderr.write(
      `${page.items.length} changes${page.nextCursor ? ' (more: raise --limit or narrow --from/--to)' : ''}\n`,
    );
  }
  return 0;
}

export async function runDiff(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...SOURCE_FLAGS,
    from: { type: 'string' },
    to: { type: 'string' },
  });
  if (values.help) return help(output, DIFF_USAGE);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'missing <documentId>' : 'one document expected');
  const from = positiveInteger('--from', values.from);
  const to = positiveInteger('--to', values.to);
  const diff = (await withSource(values, (source) => source.diff(positionals[0]!, from, to))) as {
    documentId: string;
    from: { version: number; validFrom: string };
    to: { version: number; validFrom: string };
    stats: { wordsAdded: number; wordsRemoved: number };
    materiality: { level: string; reasons: string[] };
    provisions: Array<{ change: string; heading?: string; provisionId?: string }>;
    patch: string;
  };
  if (values.json) output.stdout.write(`${JSON.stringify(diff)}\n`);
  else {
    output.stdout.write(
      [
        `${diff.documentId}: v${diff.from.version} (${diff.from.validFrom}) -> v${diff.to.version} (${diff.to.validFrom})`,
        `+${diff.stats.wordsAdded}/-${diff.stats.wordsRemoved} words, ${diff.materiality.level}${diff.materiality.reasons.length > 0 ? ` (${diff.materiality.reasons.join('; ')})` : ''}`,
        ...diff.provisions.map((p) => `  ${p.change}: ${p.heading ?? p.provisionId ?? ''}`),
        '',
        diff.patch,
      ].join('\n'),
    );
    if (!diff.patch.endsWith('\n')) output.stdout.write('\n');
  }
  return 0;
}

export async function runSnapshot(
  argv: readonly string[],
  output: CommandOutput & { binary?: { write(chunk: Buffer): unknown } },
): Promise<number> {
  const { values, positionals } = parseCommand(argv, { ...SOURCE_FLAGS, out: { type: 'string' } });
  if (values.help) return help(output, SNAPSHOT_USAGE);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'missing <snapshotId>' : 'one snapshot expected');
  const snapshotId = positionals[0]!;
  const snapshot = await withSource(values, (source) => source.snapshot(snapshotId));
  const sha256 = createHash('sha256').update(snapshot.content).digest('hex');
  if (values.out) writeFileSync(values.out, snapshot.content);
  else (output.binary ?? process.stdout).write(snapshot.content);
  const summary = { snapshotId, mimeType: snapshot.mimeType, bytes: snapshot.content.length, sha256 };
  // Without --out the bytes are on stdout: the summary goes to stderr, so piping the bytes stays clean.
  const report = values.out ? output.stdout : output.stderr;
  report.write(
    values.json
      ? `${JSON.stringify(summary)}\n`
      : `${snapshot.content.length} bytes of ${snapshot.mimeType}${values.out ? ` to ${values.out}` : ''}; sha256 ${sha256 === snapshotId ? 'matches the id' : `is ${sha256}, NOT the id`}\n`,
  );
  return sha256 === snapshotId ? 0 : 1;
}

function help(output: CommandOutput, usage: string): number {
  output.stdout.write(`${usage}\n`);
  return 0;
}
