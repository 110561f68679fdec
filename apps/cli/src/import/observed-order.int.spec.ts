import { readExportFiles, verifyExport } from '@termline/audit';
import { streamIdOf, documentIdOf, upcastDocumentEvent, versionHistoryOf } from '@termline/domain';
import { SqliteEventStore } from '@termline/eventstore';
import { TimelineProjector } from '@termline/projection';
import { SqliteReadModelStore } from '@termline/readmodels';
import { tempDir, type TempDir } from '@termline/testing';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandOutput } from '../audit/cli-options';
import { runExport } from '../audit/export.command';
import { runRebuild } from '../rebuild/rebuild.command';
import { runImport, type ImportSummary } from './import.command';
import { inkwellRecord } from './snapshot-records.spec-support';

/**
 * Issue 10, item 4 (ADR 0024): a document tracked live, then its older history imported, has the timeline it
 * would have had with the history first; so has any arrival order of the same records. Real embedded stores,
 * the real versioning handler and text engine, the CLI import, the timeline projection and the export.
 */
const quiet = (): CommandOutput & { out: () => string } => {
  const out: string[] = [];
  return {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: () => undefined },
    out: () => out.join(''),
  };
};

const record = inkwellRecord;

// The history: a change, a flip-back within the window (day 3 -> day 4), an unchanged re-fetch, another change.
const HISTORY = [
  record('a1', '2026-03-01T00:00:00Z', 'We keep logs.'),
  record('a2', '2026-03-02T00:00:00Z', 'We keep logs.'),
  record('a3', '2026-03-03T00:00:00Z', 'We keep no logs.'),
  record('a4', '2026-03-04T00:00:00Z', 'We keep logs.'),
  record('a5', '2026-03-05T00:00:00Z', 'We sell data.'),
];
// Tracked live later: the first live fetch reads as the history's last text.
const LIVE = [
  record('b1', '2026-04-01T00:00:00Z', 'We sell data.'),
  record('b2', '2026-04-02T00:00:00Z', 'We share data.'),
  record('b3', '2026-04-03T00:00:00Z', 'We share data with partners.'),
];

const STREAM = streamIdOf(documentIdOf('Inkwell', 'Privacy Policy'));

describe('the timeline is a function of the set of observations (termline import)', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir();
    mkdirSync(join(dir.path, 'declarations'));
    writeFileSync(
      join(dir.path, 'declarations', 'Inkwell.json'),
      JSON.stringify({
        name: 'Inkwell',
        terms: { 'Privacy Policy': { fetch: 'https://inkwell.example/privacy', select: 'main' } },
      }),
    );
  });
  afterAll(() => dir.remove());

  const file = (name: string, lines: readonly string[]): string => {
    const path = join(dir.path, `${name}.ndjson`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };

  const importInto = async (data: string, records: string): Promise<ImportSummary> => {
    const output = quiet();
    const args = [records, '--data', data, '--declarations', join(dir.path, 'declarations'), '--json'];
    expect(await runImport(args, output)).toBe(0);
    return JSON.parse(output.out()) as ImportSummary;
  };

  /** Projects the store's stream into `readModels` from its checkpoint on, as the live projection does. */
  const project = async (data: string, readModels: SqliteReadModelStore): Promise<void> => {
    const events = new SqliteEventStore(join(data, 'events.sqlite'));
    try {
      await new TimelineProjector(events).catchUp(readModels, STREAM);
    } finally {
      await events.close();
    }
  };

  /** What the API serves of the document, without the stream positions that tell arrival orders apart. */
  const served = async (data: string, readModels: SqliteReadModelStore) => {
    const events = new SqliteEventStore(join(data, 'events.sqlite'));
    try {
      const stream = (await events.readStream(STREAM)).map(upcastDocumentEvent);
      const documentId = documentIdOf('Inkwell', 'Privacy Policy');
      const summaries = await readModels.listVersions(documentId, { limit: 100 });
      const versions = await Promise.all(summaries.map((s) => readModels.getVersion(documentId, s.version)));
      const document = await readModels.getDocument(documentId);
      const observations = await readModels.listObservations(documentId, { limit: 100 });
      return {
        history: versionHistoryOf(stream),
        versions,
        timeline: await readModels.queryTimeline({ documentId, includeHidden: true, limit: 100 }),
        document: { ...document, appliedVersion: undefined },
        observations: observations
          .map(({ streamVersion: _position, ...observation }) => observation)
          .sort((a, b) => a.fetchedAt.localeCompare(b.fetchedAt)),
      };
    } finally {
      await events.close();
    }
  };

  it('gives live fetches followed by their older history the timeline of history first, and exports it verifiably', async () => {
    const historyFirst = join(dir.path, 'history-first');
    const historyModels = new SqliteReadModelStore(join(dir.path, 'history-first.sqlite'));
    await importInto(historyFirst, file('history', HISTORY));
    await project(historyFirst, historyModels);
    await importInto(historyFirst, file('live', LIVE));
    await project(historyFirst, historyModels);
    const expected = await served(historyFirst, historyModels);
    // The scenario is worth comparing: a retracted flip-back and four versions still standing.
    expect(expected.history.map((v) => [v.text.includes('no logs'), v.retracted])).toContainEqual([
      true,
      true,
    ]);
    expect(expected.history.filter((v) => !v.retracted)).toHaveLength(4);

    const liveFirst = join(dir.path, 'live-first');
    const liveModels = new SqliteReadModelStore(join(dir.path, 'live-first.sqlite'));
    await importInto(liveFirst, file('live', LIVE));
    await project(liveFirst, liveModels);
    const late = await importInto(liveFirst, file('history', HISTORY));
    expect(late).toMatchObject({ appended: 5, outcomes: { 'out-of-order': 5 } });
    await project(liveFirst, liveModels);
    expect(await served(liveFirst, liveModels)).toEqual(expected);

    // The import brought the store's own read models up to date: served without a rebuild.
    expect(late.readModels).toMatchObject({ streams: 1 });
    const ownModels = new SqliteReadModelStore(join(liveFirst, 'read-models.sqlite'));
    expect(await served(liveFirst, ownModels)).toEqual(expected);
    await ownModels.close();

    // The same history again adds nothing, and changes nothing.
    expect(await importInto(liveFirst, file('history', HISTORY))).toMatchObject({ appended: 0, skipped: 5 });
    await project(liveFirst, liveModels);
    expect(await served(liveFirst, liveModels)).toEqual(expected);

    // The export of the live-first store still verifies: the chain is over the arrival order.
    const bundle = join(dir.path, 'live-first.tar');
    expect(await runExport(['--data', liveFirst, '--out', bundle], quiet())).toBe(0);
    expect(verifyExport(readFileSync(bundle)).problems).toEqual([]);
    await historyModels.close();
    await liveModels.close();

    // Rebuilt from the event store (timeline and governance, the classifier of the configuration), both agree.
    const rebuilt = async (data: string) => {
      expect(await runRebuild(['--data', data, '--json'], quiet())).toBe(0);
      const models = new SqliteReadModelStore(join(data, 'read-models.sqlite'));
      try {
        const { provisionForms, governanceTimeline } = await models.dump();
        return { served: await served(data, models), provisionForms, governanceTimeline };
      } finally {
        await models.close();
      }
    };
    const fromHistoryFirst = await rebuilt(historyFirst);
    expect(fromHistoryFirst.served).toEqual(expected);
    expect(fromHistoryFirst.governanceTimeline!.length).toBeGreaterThan(0);
    expect(await rebuilt(liveFirst)).toEqual(fromHistoryFirst);

    // Exported with the read models: both verify, and carry the same texts and derived records (observed order).
    const exported = async (data: string, name: string) => {
      const path = join(dir.path, `${name}-derived.tar`);
      expect(await runExport(['--data', data, '--out', path], quiet())).toBe(0);
      const content = readFileSync(path);
      expect(verifyExport(content).problems).toEqual([]);
      return readExportFiles(content)
        .filter((f) => /\/(texts\/|derived\.ndjson)/.test(f.path))
        .map((f) => [f.path, f.content.toString('utf8')]);
    };
    const historyFirstFiles = await exported(historyFirst, 'history-first');
    expect(historyFirstFiles.some(([path]) => path!.endsWith('derived.ndjson'))).toBe(true);
    expect(await exported(liveFirst, 'live-first')).toEqual(historyFirstFiles);
  }, 120_000);

  it('gives every shuffled arrival order of the records the same timeline', async () => {
    const all = [...HISTORY, ...LIVE];
    const reference = join(dir.path, 'in-order');
    const referenceModels = new SqliteReadModelStore(':memory:');
    await importInto(reference, file('all', all));
    await project(reference, referenceModels);
    const expected = await served(reference, referenceModels);
    // Fixed permutations, each far from the observed order, so that most records arrive late.
    const orders = [
      [7, 6, 5, 4, 3, 2, 1, 0],
      [3, 7, 0, 5, 1, 6, 2, 4],
      [5, 0, 6, 1, 7, 2, 4, 3],
    ];
    for (const [index, order] of orders.entries()) {
      const data = join(dir.path, `shuffled-${index}`);
      const models = new SqliteReadModelStore(':memory:');
      await importInto(
        data,
        file(
          `shuffled-${index}`,
          order.map((i) => all[i]!),
        ),
      );
      await project(data, models);
      expect(await served(data, models)).toEqual(expected);
      await models.close();
    }
    await referenceModels.close();
  }, 180_000);
});
