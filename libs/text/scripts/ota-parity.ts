/**
 * How often our extraction reproduces Open Terms Archive's versions: for a sample of the corpus's OTA versions
 * (every `stride`-th of each document, plus its first and last), the snapshots each version lists are
 * extracted with the corpus's declarations and combined in declaration order, and the text is compared with
 * OTA's, modulo whitespace (invisible characters included) and URL query strings.
 *
 * A miss is probed for a declaration that differs from the one in force when OTA recorded (the corpus holds
 * the declarations at one commit, without their history): equal once the declaration's filters are left out,
 * equal in the order OTA listed the snapshots, or every part's text found verbatim inside OTA's (OTA selected
 * a larger region). Otherwise the first difference is printed.
 *
 *   npm run build && node dist/libs/text/scripts/ota-parity.js /work/shared/corpus [stride]
 *
 * Reads the corpus as a stream; holds only the listed snapshots in memory. Writes nothing.
 */
import { createReadStream, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createBrotliDecompress } from 'node:zlib';

import {
  type DeclarationSet,
  combineParts,
  declarationFor,
  declarationSet,
  extractText,
  parseDeclaration,
  parseHistory,
} from '../src';

interface OtaVersion {
  service: string;
  documentType: string;
  recordedAt: string;
  commit: string;
  snapshotCommits: string[];
  content: string;
}

interface Snapshot {
  service: string;
  documentType: string;
  sourcePart: string | null;
  sourceUrl: string;
  fetchedAt: string;
  mimeType: string;
  encoding?: string;
  content: string;
}

async function* lines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file).pipe(createBrotliDecompress());
  const reader = createInterface({ input, crlfDelay: Infinity });
  for await (const line of reader) if (line) yield line;
}

function declarations(dir: string, withFilters: boolean): DeclarationSet {
  const files = readdirSync(dir);
  return declarationSet(
    files
      .filter((f) => f.endsWith('.json') && !f.endsWith('.history.json'))
      .map((f) => {
        const json = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
          terms: Record<string, { filter?: unknown; combine?: { filter?: unknown }[] }>;
        };
        if (!withFilters) {
          for (const terms of Object.values(json.terms)) {
            delete terms.filter;
            for (const part of terms.combine ?? []) delete part.filter;
          }
        }
        const history = f.replace(/\.json$/, '.history.json');
        return {
          declaration: parseDeclaration(json),
          history: files.includes(history)
            ? parseHistory(JSON.parse(readFileSync(join(dir, history), 'utf8')))
            : undefined,
        };
      }),
  );
}

const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const withoutQuery = (url: string): string => url.replace(/\?[^#]*/, '');
/** Whitespace collapsed, invisible characters dropped, query strings of link targets and URLs dropped. */
const comparable = (text: string): string =>
  text
    .replace(/\]\(\s*<?([^)\s>]*)>?((?:\s+"[^"]*")?\s*)\)/g, (_m, target: string, title: string) => {
      return `](${withoutQuery(target)}${title})`;
    })
    .replace(/\bhttps?:\/\/[^\s<>()[\]"']+/g, withoutQuery)
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();

async function main(): Promise<void> {
  const corpus = process.argv[2] ?? '/work/shared/corpus';
  const stride = Number(process.argv[3] ?? 10);
  const byDocument = new Map<string, OtaVersion[]>();
  for await (const line of lines(join(corpus, 'genai-versions-dev.ndjson.br'))) {
    const version = JSON.parse(line) as OtaVersion;
    const key = `${version.service}/${version.documentType}`;
    byDocument.set(key, [...(byDocument.get(key) ?? []), version]);
  }
  const sample = [...byDocument.values()].flatMap((list) =>
    list.filter((_v, i) => i % stride === 0 || i === list.length - 1),
  );
  const needed = new Set(sample.flatMap((v) => v.snapshotCommits));
  const snapshots = new Map<string, Snapshot>();
  for await (const line of lines(join(corpus, 'genai-snapshots-dev.ndjson.br'))) {
    const at = line.indexOf('"commit":"');
    const commit = line.slice(at + 10, at + 50);
    if (needed.has(commit)) snapshots.set(commit, JSON.parse(line) as Snapshot);
  }
  const sets = {
    declared: declarations(join(corpus, 'declarations'), true),
    unfiltered: declarations(join(corpus, 'declarations'), false),
  };
  const extract = (snapshot: Snapshot, set: DeclarationSet) =>
    extractText(
      {
        content: snapshot.encoding === 'base64' ? Buffer.from(snapshot.content, 'base64') : snapshot.content,
        mimeType: snapshot.mimeType,
        fetchedAt: snapshot.fetchedAt,
        service: snapshot.service,
        documentType: snapshot.documentType,
        sourcePart: snapshot.sourcePart,
        sourceUrl: snapshot.sourceUrl,
      },
      set,
    );
  const causes = new Map<string, number>();
  let equal = 0;
  for (const version of sample) {
    const listed = version.snapshotCommits.map((c) => snapshots.get(c));
    const cause = ((): string | null => {
      if (listed.some((s) => !s)) return 'snapshot-missing';
      const parts = [];
      for (const snapshot of listed as Snapshot[]) {
        const result = extract(snapshot, sets.declared);
        if (!result.ok) return `extraction:${result.code}`;
        parts.push({ sourcePart: snapshot.sourcePart, sourceUrl: snapshot.sourceUrl, text: result.text });
      }
      const last = listed[listed.length - 1]!;
      const terms = declarationFor(sets.declared, { ...last, service: version.service })?.terms;
      const ota = comparable(version.content);
      const ours = comparable(combineParts(parts, terms));
      if (ours === ota) return null;
      const unordered = parts.map((p) => ({ ...p, sourcePart: null, sourceUrl: null }));
      if (comparable(combineParts(unordered)) === ota) return 'declaration:combine-order';
      const unfiltered = (listed as Snapshot[]).map((s) => {
        const result = extract(s, sets.unfiltered);
        return { sourcePart: s.sourcePart, sourceUrl: s.sourceUrl, text: result.ok ? result.text : '' };
      });
      if (comparable(combineParts(unfiltered, terms)) === ota) return 'declaration:filter-not-in-force';
      if (parts.every((p) => ota.includes(comparable(p.text)))) return 'declaration:larger-selection';
      let at = 0;
      while (at < ota.length && ota[at] === ours[at]) at++;
      console.log(`\n${version.service} / ${version.documentType} ${version.recordedAt} (${version.commit})`);
      console.log(`  OTA : ${JSON.stringify(ota.slice(Math.max(0, at - 80), at + 120))}`);
      console.log(`  ours: ${JSON.stringify(ours.slice(Math.max(0, at - 80), at + 120))}`);
      return 'text';
    })();
    if (cause === null) equal++;
    else causes.set(cause, (causes.get(cause) ?? 0) + 1);
  }
  console.log(
    JSON.stringify(
      { sample: sample.length, equal, share: equal / sample.length, misses: Object.fromEntries(causes) },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
