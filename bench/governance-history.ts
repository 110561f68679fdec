import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { slug } from '@termline/domain';
import { CATEGORY_IDS } from '@termline/regulatory';
import {
  compareVersions,
  summarise,
  SqliteReadModelStore,
  type ProvisionFormView,
  type VersionView,
} from '@termline/readmodels';
import { alignVersionProvisions } from '@termline/text';
import { GovernanceQueries, StrictQuery } from '@termline/gateway';
import { mapVersion, type ProvisionClassifier, regulatoryClassifier } from '@termline/projection';
import { documentOfPath, type BlobReader } from '@termline/corpus';
import { percentile, type DocumentQueue } from './replay-plan';

/**
 * The `governance.history` key of the bench: the whole pga-versions history mapped through the governance
 * projection's own functions into an embedded (SQLite) read-model store, version after version, with
 *  - classification per provision (only provisions whose text changed are classified, as in the projection),
 *  - mapping per version (segmenting, classifying the changed provisions, stated dates, the entry), beside the
 *    text engine's cost of the same version (aligning provisions and the diff the timeline projection computes),
 *  - then filtered timeline and compare reads on the result, through the gateway's query service.
 * No HTTP and no event store: this isolates what the governance layer adds to a version.
 */

const round = (value: number | null, digits = 3) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const stats = (values: readonly number[]) => ({
  count: values.length,
  p50Ms: round(percentile(values, 50)),
  p95Ms: round(percentile(values, 95)),
  p99Ms: round(percentile(values, 99)),
  maxMs: round(values.length ? Math.max(...values) : null),
});

function timedClassifier(inner: ProvisionClassifier, times: number[]): ProvisionClassifier {
  return {
    generation: inner.generation,
    vocabulary: inner.vocabulary,
    classify(input) {
      const started = performance.now();
      const result = inner.classify(input);
      times.push(performance.now() - started);
      return result;
    },
  };
}

export async function runGovernanceHistoryBench(
  queues: readonly DocumentQueue[],
  blobs: BlobReader,
  options: { reads?: number } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'termline-governance-bench-'));
  const store = new SqliteReadModelStore(join(dir, 'read-models.sqlite'));
  const classifyMs: number[] = [];
  const mapMs: number[] = [];
  const textEngineMs: number[] = [];
  const writeMs: number[] = [];
  const classifier = timedClassifier(regulatoryClassifier(), classifyMs);
  let versions = 0;
  let provisionsSeen = 0;
  const started = performance.now();
  try {
    for (const queue of queues) {
      let previous: VersionView | null = null;
      let lastBlob: string | null = null;
      let open = new Map<string, ProvisionFormView>();
      for (const fetch of queue.fetches) {
        if (fetch.blob === lastBlob) continue;
        lastBlob = fetch.blob;
        const { service, documentType } = documentOfPath(fetch.path) ?? {
          service: 'unknown',
          documentType: 'unknown',
        };
        const text = (await blobs.read(fetch.blob)).toString('utf8');
        // The text engine's share of a version: provision ids carried over, then the diff the timeline keeps.
        const textStart = performance.now();
        // Versioning aligns (ProvisionsAligned); the timeline projection diffs, reusing that alignment: both are
        // counted.
        const aligned = alignVersionProvisions(previous, text);
        const diff = compareVersions(previous, text, {
          recorded: { provisionIds: aligned.provisions.map((p) => p.id), lineage: aligned.lineage },
          withPatch: false,
        });
        const summary = summarise(diff);
        textEngineMs.push(performance.now() - textStart);
        versions += 1;
        const version: VersionView = {
          documentId: queue.documentId,
          version: (previous?.version ?? 0) + 1,
          service,
          documentType,
          validFrom: new Date(fetch.fetchedAt).toISOString(),
          textSha256: fetch.blob,
          text,
          snapshots: [],
          extractorVersion: 'bench',
          declarationHash: null,
          rulesFired: [],
          rulesNotApplied: [],
          fetchId: fetch.fetchId,
          previousVersion: previous?.version ?? null,
          technicalUpgrade: false,
          retracted: null,
          stats: { ...diff.stats },
          ...summary,
        };
        const mapStart = performance.now();
        const mapping = mapVersion(version, slug(service), open, classifier);
        mapMs.push(performance.now() - mapStart);
        provisionsSeen += version.provisionIds.length;
        const writeStart = performance.now();
        await store.putGovernanceChanges(mapping.written, mapping.entry);
        writeMs.push(performance.now() - writeStart);
        open = mapping.open;
        previous = version;
      }
      await store.putDocument({
        documentId: queue.documentId,
        service: previous?.service ?? '',
        serviceSlug: slug(previous?.service ?? 'x'),
        documentType: previous?.documentType ?? '',
        appliedVersion: 0,
        versionCount: previous?.version ?? 0,
        changeCount: previous?.version ?? 0,
        latestVersion: null,
        firstFetchedAt: queue.fetches[0]?.fetchedAt ? new Date(queue.fetches[0].fetchedAt).toISOString() : '',
        lastFetchedAt: queue.fetches.at(-1)?.fetchedAt
          ? new Date(queue.fetches.at(-1)!.fetchedAt).toISOString()
          : '',
        lastChangedAt: null,
        fetchCount: queue.fetches.length,
        parts: [],
        lastFailure: null,
      });
    }
    const mappedSeconds = (performance.now() - started) / 1000;
    const reads = await timeReads(store, classifier, queues, options.reads ?? 200);
    const totalClassifyMs = classifyMs.reduce((s, v) => s + v, 0);
    const totalMapMs = mapMs.reduce((s, v) => s + v, 0);
    const totalTextMs = textEngineMs.reduce((s, v) => s + v, 0);
    return {
      documents: queues.length,
      versions,
      provisionsInVersions: provisionsSeen,
      provisionsClassified: classifyMs.length,
      classificationPerProvision: stats(classifyMs),
      mappingPerVersion: stats(mapMs),
      textEnginePerVersion: stats(textEngineMs),
      readModelWritesPerVersion: stats(writeMs),
      /** Mapping (classification included) as a share of the text engine's cost of the same versions. */
      mappingToTextEngineRatio: round(totalMapMs / Math.max(totalTextMs, 1e-9), 3),
      classificationShareOfMapping: round(totalClassifyMs / Math.max(totalMapMs, 1e-9), 3),
      historySeconds: round(mappedSeconds, 2),
      versionsPerSecond: round(versions / mappedSeconds, 1),
      provisionsPerSecond: round(provisionsSeen / mappedSeconds, 0),
      classifiedProvisionsPerSecond: round(classifyMs.length / (totalClassifyMs / 1000), 0),
      reads,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Filtered timeline and compare reads, through the gateway's query service, on the mapped history. */
async function timeReads(
  store: SqliteReadModelStore,
  classifier: ProvisionClassifier,
  queues: readonly DocumentQueue[],
  count: number,
) {
  const queries = new GovernanceQueries(store, classifier, { now: () => new Date() });
  const categories = CATEGORY_IDS.filter((c) => c !== 'none');
  const services = [...new Set(queues.map((q) => documentOfPath(q.fetches[0]!.path)?.service ?? ''))];
  // As-of dates spread over the observed history (a date before the first observation is refused with a 422).
  const documents = await store.listDocuments();
  const first = Date.parse(
    documents.reduce((min, d) => (d.firstFetchedAt < min ? d.firstFetchedAt : min), '9999'),
  );
  const last = Date.parse(documents.reduce((max, d) => (d.lastFetchedAt > max ? d.lastFetchedAt : max), ''));
  const asOfOf = (i: number) =>
    new Date(first + ((i % 8) + 0.5) * ((last - first) / 8)).toISOString().slice(0, 10);
  const times = {
    timelineByCategory: [] as number[],
    timelineByServiceAndExposure: [] as number[],
    compare: [] as number[],
    compareAsOf: [] as number[],
  };
  const time = async (into: number[], run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    into.push(performance.now() - started);
  };
  for (let i = 0; i < count; i++) {
    const category = categories[i % categories.length]!;
    const service = services[i % services.length]!;
    await time(times.timelineByCategory, () => queries.timeline({}, strict({ category, limit: '50' })));
    await time(times.timelineByServiceAndExposure, () =>
      queries.timeline({}, strict({ service, exposure: 'high,medium', limit: '50' })),
    );
    await time(times.compare, () => queries.compare({ category }));
    await time(times.compareAsOf, () => queries.compare({ category, asOf: asOfOf(i) }));
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, stats(values)]));
}

const strict = (raw: Record<string, string>) => StrictQuery.of(raw, Object.keys(raw));
