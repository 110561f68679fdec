import { Inject, Injectable } from '@nestjs/common';
import { DOCUMENT_ID_PATTERN, slug } from '@termline/domain';
import { CLOCK, type Clock } from '@termline/platform';
import {
  entryView,
  formView,
  provisionKeyOf,
  type GovernanceEntryView,
  exposureRank,
  defaultGenerationOf,
  GENERATION_UNMAPPED,
  rankBySimilarity,
  READ_MODEL_STORE,
  type DocumentView,
  type GovernanceGeneration,
  type GovernanceProvisionChange,
  type GovernanceTimelineQuery,
  LISTED_PROVISION_CHANGES,
  provisionChangeView,
  compareForms,
  formIdOf,
  type ProvisionFormView,
  type ProvisionMappingSide,
  type ReadModelStore,
  type VersionSummary,
} from '@termline/readmodels';
import { PROVISION_CLASSIFIER, type ProvisionClassifier } from '@termline/projection';
import { analyseProvision, type Comparable, type HistoryEntry } from '@termline/regulatory';
import {
  PROVISION_PAGE_LIMIT,
  SERVICE_CURSOR,
  parseBoundedInt,
  parseCatalogueCursor,
  parseFormCursor,
  formCursorOf,
  parseInstant,
  parseLimit,
  parseTimelineCursor,
  parseVersionCursor,
  timelineCursorOf,
} from '../http/paging';
import { ProblemException } from '../http/problem';
import { parseExposure, parseMateriality, StrictQuery } from './strict-query';

/** Every form of one provision or one document: bounded by the history of a document, never by the whole store. */
const ALL_OF_ONE = 100_000;
/**
 * Forms read per service for a side-by-side view of one category or reference. Read service by service: under one
 * limit for all, the services first in id order crowded out the rest (5,000 forms of one long document left every
 * later service out of a comparison, and listed it among the services with no such provision).
 */
const PER_SERVICE_LIMIT = 500;
/**
 * Similar provisions answered at most: every candidate of the category is ranked whatever the limit, so a large one
 * costs the answer's size only (a caller looking for one service among thousands of candidates asks for them all).
 */
export const SIMILAR_LIMIT = 10_000;
/** Services per page of a comparison (default and most): a page costs one read of forms per service. */
export const COMPARE_PAGE_LIMIT = 200;

export const TIMELINE_PARAMS = ['from', 'to', 'limit', 'cursor', 'include'] as const;
/** Naming any of these turns a timeline into a governance timeline. */
export const GOVERNANCE_FILTERS = [
  'category',
  'framework',
  'reference',
  'exposure',
  'materiality',
  'service',
  'documentType',
  'taxonomyVersion',
  'classifierVersion',
  'view',
] as const;
/** The parameters that choose the generation a governance answer comes from (see {@link GovernanceQueries.generationOf}). */
export const GENERATION_PARAMS = ['taxonomyVersion', 'classifierVersion'] as const;
/** What a taxonomy or classifier version may look like (`2026.11.7`, `1.12.0`, a test's `kw-1`). */
const VERSION_TOKEN = /^[A-Za-z0-9][A-Za-z0-9.+-]{0,39}$/;

/** A provision across the API: `<documentId>:<provisionId>`, both parts as the catalogue spells them. */
const PROVISION_KEY = /^([a-z0-9]+(?:-[a-z0-9]+)*__[a-z0-9]+(?:-[a-z0-9]+)*):([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A date-only `asOf` means the end of that day: "as of 1 March" includes what changed on 1 March. */
export function parseAsOf(name: string, raw: string | undefined): string | undefined {
  const instant = parseInstant(name, raw);
  if (instant === undefined || raw === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(raw)
    ? new Date(Date.parse(instant) + 86_400_000 - 1).toISOString()
    : instant;
}

/**
 * The provision changes a timeline's filters ask for (by category, framework, reference or exposure on either side
 * of the change): a list names them before the others. Undefined when no filter speaks of provisions.
 */
function askedFor(filters: {
  categoryIds?: readonly string[];
  frameworks?: readonly string[];
  referenceIds?: readonly string[];
  exposure?: readonly string[];
}): ((change: GovernanceProvisionChange) => boolean) | undefined {
  const { categoryIds, frameworks, referenceIds, exposure } = filters;
  if (!categoryIds && !frameworks && !referenceIds && !exposure) return undefined;
  const engages = (side: ProvisionMappingSide | null) =>
    side !== null &&
    (categoryIds?.some((id) => side.categoryIds.includes(id)) === true ||
      referenceIds?.some((id) => side.referenceIds.includes(id)) === true ||
      frameworks?.some((f) => side.referenceIds.some((id) => id.startsWith(`${f}/`))) === true ||
      exposure?.includes(side.exposure) === true);
  return (change) => engages(change.before) || engages(change.after);
}

// The views of governance rows (what the routes and exports show) live beside the rows, in the read models.
export {
  entryView,
  formView,
  provisionKeyOf,
  type FormView,
  type GovernanceEntryView,
} from '@termline/readmodels';

/** Read side of the governance layer: answers from the governance read models of one generation. */
@Injectable()
export class GovernanceQueries {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(PROVISION_CLASSIFIER) private readonly classifier: ProvisionClassifier,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get vocabulary() {
    return this.classifier.vocabulary;
  }

  /**
   * `current`: the generation answered by default. `building`: this classifier's generation while its backfill has
   * not yet mapped every stream (null once it has, and it is then `current`).
   */
  async generations(): Promise<{
    current: GovernanceGeneration;
    building: GovernanceGeneration | null;
    unmappedStreams: number;
    items: GovernanceGeneration[];
  }> {
    const current = await this.defaultGeneration();
    const own = this.classifier.generation;
    return {
      current,
      building: current.generation === own.generation ? null : own,
      unmappedStreams: await this.readModels.getCheckpoint(GENERATION_UNMAPPED, current.generation),
      items: await this.readModels.listGovernanceGenerations(),
    };
  }

  /** The generation answered by default (see defaultGenerationOf). */
  defaultGeneration(): Promise<GovernanceGeneration> {
    return defaultGenerationOf(this.readModels, this.classifier.generation);
  }

  /**
   * The generation asked for: by `taxonomyVersion` (its latest classifier), by `classifierVersion` (under the latest
   * taxonomy mapped with it), or by both; else the one answered by default. A generation never mapped is a 404 that
   * lists what was; one still being built is answered as it stands (its rows say which versions they carry).
   */
  async generationOf(query: StrictQuery): Promise<GovernanceGeneration> {
    const taxonomyVersion = query.one('taxonomyVersion');
    const classifierVersion = query.one('classifierVersion');
    for (const [name, value] of Object.entries({ taxonomyVersion, classifierVersion }))
      if (value !== undefined && !VERSION_TOKEN.test(value))
        throw new ProblemException(
          400,
          'invalid-parameter',
          `${name} is a version such as 2026.11.7 or 1.12.0`,
        );
    const answering = await this.defaultGeneration();
    const fits = (g: GovernanceGeneration) =>
      (taxonomyVersion === undefined || g.taxonomyVersion === taxonomyVersion) &&
      (classifierVersion === undefined || g.classifierVersion === classifierVersion);
    if (fits(answering)) return answering;
    const current = this.classifier.generation;
    if (fits(current)) return current;
    const known = await this.readModels.listGovernanceGenerations();
    const byVersion = (a: GovernanceGeneration, b: GovernanceGeneration) =>
      a.taxonomyVersion.localeCompare(b.taxonomyVersion, undefined, { numeric: true }) ||
      a.classifierVersion.localeCompare(b.classifierVersion, undefined, { numeric: true });
    const found = known.filter(fits).sort(byVersion).at(-1);
    if (!found) {
      const asked = [
        taxonomyVersion === undefined ? null : `taxonomy version "${taxonomyVersion}"`,
        classifierVersion === undefined ? null : `classifier version "${classifierVersion}"`,
      ]
        .filter((part) => part !== null)
        .join(' and ');
      const mapped = known.map((g) => `${g.taxonomyVersion}/${g.classifierVersion}`).join(', ');
      throw new ProblemException(
        404,
        'unknown-taxonomy-version',
        `No mapping under ${asked}; mapped (taxonomy/classifier): ${mapped || 'none'}`,
      );
    }
    return found;
  }

  /**
   * A timeline (global, of a service or of a document) with the governance filters, or null when the query names
   * none of them (the caller answers the plain timeline). Unknown or malformed parameters are refused either way.
   */
  async timelineOrNull(
    scope: { documentId?: string; service?: string },
    raw: Record<string, unknown>,
  ): Promise<Page<GovernanceEntryView> | null> {
    const query = StrictQuery.of(raw, [...TIMELINE_PARAMS, ...GOVERNANCE_FILTERS]);
    if (!GOVERNANCE_FILTERS.some((name) => query.has(name))) return null;
    const view = query.one('view');
    if (view !== undefined && view !== 'governance') {
      throw new ProblemException(400, 'invalid-parameter', 'view accepts only "governance"');
    }
    return this.timeline(scope, query);
  }

  async timeline(
    scope: { documentId?: string; service?: string },
    query: StrictQuery,
    extra: Partial<GovernanceTimelineQuery> = {},
  ): Promise<Page<GovernanceEntryView>> {
    const generation = await this.generationOf(query);
    const include = query.one('include');
    if (include !== undefined && include !== 'hidden') {
      throw new ProblemException(
        400,
        'invalid-request',
        'include accepts only "hidden" (technical upgrades and retracted flip-backs)',
      );
    }
    if (scope.documentId !== undefined) await this.document(scope.documentId);
    const services = scope.service !== undefined ? [scope.service] : query.list('service');
    const limit = parseLimit(query.one('limit'));
    const after = parseTimelineCursor(query.one('cursor'));
    const categoryIds = query.known('category', this.vocabulary.categories, 'category');
    const frameworks = query.known('framework', this.vocabulary.frameworks, 'framework');
    const referenceIds = query.known('reference', this.vocabulary.references, 'reference');
    const exposure = parseExposure(query);
    const items = await this.readModels.queryGovernanceTimeline({
      generation: generation.generation,
      documentId: scope.documentId,
      serviceSlugs: services?.map((s) => slug(s)),
      documentTypes: query.list('documentType'),
      categoryIds,
      frameworks,
      referenceIds,
      exposure,
      materiality: parseMateriality(query),
      from: parseInstant('from', query.one('from')),
      to: parseInstant('to', query.one('to')),
      includeHidden: include === 'hidden',
      after,
      limit: limit + 1,
      ...extra,
    });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    const first = askedFor({ categoryIds, frameworks, referenceIds, exposure });
    return {
      items: page.map((entry) => entryView(entry, { limit: LISTED_PROVISION_CHANGES, first })),
      nextCursor: items.length > limit && last ? timelineCursorOf(last.at, last.entryId) : null,
    };
  }

  /** Every provision change of one timeline entry, in document order, a page at a time. */
  async entryProvisions(entryId: string, raw: Record<string, unknown>) {
    const query = StrictQuery.of(raw, ['limit', 'cursor', ...GENERATION_PARAMS]);
    const generation = await this.generationOf(query);
    const limit = parseLimit(query.one('limit'));
    // The cursor is the number of changes already answered (a positive integer, like a version cursor).
    const offset = parseVersionCursor(query.one('cursor')) ?? 0;
    const entry = await this.readModels.getGovernanceEntry(generation.generation, entryId);
    if (!entry)
      throw new ProblemException(
        404,
        'not-found',
        `No timeline entry ${entryId} under taxonomy ${generation.taxonomyVersion}`,
      );
    const items = entry.provisions.slice(offset, offset + limit);
    const next = offset + items.length;
    return {
      entryId: entry.entryId,
      documentId: entry.documentId,
      version: entry.version,
      taxonomyVersion: entry.taxonomyVersion,
      classifierVersion: entry.classifierVersion,
      provisionsChanged: entry.provisionsChanged,
      total: entry.provisions.length,
      items: items.map((change) => provisionChangeView(entry.documentId, change)),
      nextCursor: next < entry.provisions.length ? String(next) : null,
    };
  }

  /** Versions whose text states an effective date; `upcoming=true`: only dates still ahead. */
  async effectiveDates(raw: Record<string, unknown>) {
    const query = StrictQuery.of(raw, [
      'upcoming',
      'service',
      'documentType',
      'limit',
      'cursor',
      ...GENERATION_PARAMS,
    ]);
    const upcoming = query.boolean('upcoming');
    const now = this.clock.now().toISOString();
    const page = await this.timeline({}, query, {
      effectiveAfter: upcoming ? now : '0000-01-01T00:00:00.000Z',
    });
    return {
      now,
      nextCursor: page.nextCursor,
      items: page.items.map((entry) => ({
        documentId: entry.documentId,
        service: entry.service,
        documentType: entry.documentType,
        version: entry.version,
        observedAt: entry.at,
        effectiveAt: entry.effectiveAt,
        statedDates: entry.statedDates,
        /** Announced before it applies: the text was seen before the date it says it takes effect. */
        announcedInAdvance: entry.effectiveAt !== null && entry.effectiveAt > entry.at,
        upcoming: entry.effectiveAt !== null && entry.effectiveAt > now,
        categories: entry.governance.categories,
        exposure: entry.governance.exposure,
      })),
    };
  }

  documentsOf(service: string): Promise<DocumentView[]> {
    return this.readModels.listDocuments(slug(service));
  }

  async document(documentId: string): Promise<DocumentView> {
    if (!DOCUMENT_ID_PATTERN.test(documentId)) {
      throw new ProblemException(
        404,
        'not-found',
        `${documentId} is not a document id (they look like acme-cloud__terms-of-service)`,
      );
    }
    const document = await this.readModels.getDocument(documentId);
    if (!document) throw new ProblemException(404, 'not-found', `No document ${documentId}`);
    return document;
  }

  private assertObserved(document: DocumentView, asOf: string): void {
    if (asOf < document.firstFetchedAt) {
      throw new ProblemException(
        422,
        'before-first-observation',
        `${document.documentId} was first observed on ${document.firstFetchedAt}; nothing is known of it on ${asOf}`,
      );
    }
  }

  /** An as-of date before anything was observed has no answer, rather than an empty one. */
  private async assertAnyObserved(
    asOf: string | undefined,
    documents?: readonly DocumentView[],
  ): Promise<void> {
    if (asOf === undefined) return;
    const all = documents ?? (await this.readModels.listDocuments());
    const first = all.reduce<string | null>(
      (min, d) => (min === null || d.firstFetchedAt < min ? d.firstFetchedAt : min),
      null,
    );
    if (first === null || asOf < first) {
      throw new ProblemException(
        422,
        'before-first-observation',
        first === null
          ? 'Nothing has been observed yet'
          : `The first observation is of ${first}; nothing is known on ${asOf}`,
      );
    }
  }

  /** The version in force at an instant: the last one observed by then that was not retracted. */
  private async versionInForce(documentId: string, asOf: string): Promise<VersionSummary | null> {
    let found: VersionSummary | null = null;
    let afterVersion = 0;
    for (;;) {
      const page = await this.readModels.listVersions(documentId, { afterVersion, limit: 200 });
      for (const version of page) {
        if (version.validFrom <= asOf && version.retracted === null) found = version;
      }
      if (page.length < 200 || page.at(-1)!.validFrom > asOf) return found;
      afterVersion = page.at(-1)!.version;
    }
  }

  async documentAsOf(documentId: string, date: string, raw: Record<string, unknown>) {
    const query = StrictQuery.of(raw, [...GENERATION_PARAMS, 'limit', 'cursor']);
    const limit = parseBoundedInt('limit', query.one('limit'), PROVISION_PAGE_LIMIT) ?? PROVISION_PAGE_LIMIT;
    // The cursor is the number of provisions already answered (a positive integer, like a version cursor).
    const offset = parseVersionCursor(query.one('cursor')) ?? 0;
    const asOf = parseAsOf('date', date)!;
    const document = await this.document(documentId);
    this.assertObserved(document, asOf);
    const generation = await this.generationOf(query);
    const summary = await this.versionInForce(documentId, asOf);
    if (!summary) {
      throw new ProblemException(
        422,
        'before-first-observation',
        `${documentId} had no version yet on ${asOf}`,
      );
    }
    const version = (await this.readModels.getVersion(documentId, summary.version))!;
    // The version's provisions in document order: only the page's forms are read (a page of a 12,000-provision
    // document reads 500 forms, not 12,000). A version recorded without its provision ids pages its forms.
    const ids = version.provisionIds;
    const [forms, entry] = await Promise.all([
      this.readModels.queryProvisionForms({
        generation: generation.generation,
        documentId,
        asOf,
        ...(ids.length > 0 ? { provisionIds: ids.slice(offset, offset + limit) } : {}),
        limit: ALL_OF_ONE,
      }),
      this.readModels.getGovernanceEntry(
        generation.generation,
        `${documentId}:${String(summary.version).padStart(6, '0')}`,
      ),
    ]);
    const count = ids.length > 0 ? ids.length : forms.length;
    const formOf = new Map(forms.map((form) => [form.provisionId, form]));
    const page =
      ids.length > 0
        ? ids.slice(offset, offset + limit).flatMap((id) => formOf.get(id) ?? [])
        : forms.slice(offset, offset + limit);
    return {
      documentId,
      service: document.service,
      documentType: document.documentType,
      asOf,
      version: summary.version,
      observedAt: summary.validFrom,
      statedDates: entry?.statedDates ?? [],
      effectiveAt: entry?.effectiveAt ?? null,
      taxonomyVersion: generation.taxonomyVersion,
      classifierVersion: generation.classifierVersion,
      // Once, not on every page: a document long enough to be paged has a long text.
      text: offset === 0 ? version.text : null,
      provisionCount: count,
      provisions: page.map(formView),
      nextCursor: offset + limit < count ? String(offset + limit) : null,
    };
  }

  private parseProvisionKey(key: string): { documentId: string; provisionId: string } {
    const match = PROVISION_KEY.exec(key);
    if (!match) {
      throw new ProblemException(
        404,
        'not-found',
        `${key} is not a provision id (they look like acme-cloud__terms-of-service:3-disputes)`,
      );
    }
    return { documentId: match[1]!, provisionId: match[2]! };
  }

  /** Every form of one provision, oldest first; 404 when the document never had it. */
  async provisionForms(key: string, generation: GovernanceGeneration) {
    const { documentId, provisionId } = this.parseProvisionKey(key);
    const document = await this.document(documentId);
    const forms = await this.readModels.queryProvisionForms({
      generation: generation.generation,
      documentId,
      provisionId,
      limit: ALL_OF_ONE,
    });
    if (forms.length === 0)
      throw new ProblemException(404, 'not-found', `${documentId} never had a provision ${provisionId}`);
    return { document, forms };
  }

  async provisionHistory(key: string, raw: Record<string, unknown>) {
    const generation = await this.generationOf(StrictQuery.of(raw, GENERATION_PARAMS));
    const { document, forms } = await this.provisionForms(key, generation);
    const history = forms.map((form, index) => {
      const previous = index > 0 ? forms[index - 1]! : null;
      const contiguous = previous !== null && previous.untilVersion === form.fromVersion;
      return {
        ...formView(form),
        change: contiguous ? 'modified' : index === 0 ? 'added' : 're-added',
        exposureChange: contiguous
          ? {
              before: previous.exposure.level,
              after: form.exposure.level,
              direction: direction(previous, form),
            }
          : null,
        categoriesAdded: contiguous
          ? form.categoryIds.filter((id) => !previous.categoryIds.includes(id))
          : form.categoryIds,
        categoriesRemoved: contiguous
          ? previous.categoryIds.filter((id) => !form.categoryIds.includes(id))
          : [],
      };
    });
    const last = forms.at(-1)!;
    return {
      provisionKey: key,
      documentId: document.documentId,
      service: document.service,
      documentType: document.documentType,
      taxonomyVersion: generation.taxonomyVersion,
      classifierVersion: generation.classifierVersion,
      current: last.untilVersion === null,
      removedAt: last.untilVersion === null ? null : last.validUntil,
      history,
    };
  }

  async provisionAsOf(key: string, date: string, raw: Record<string, unknown>) {
    const asOf = parseAsOf('date', date)!;
    const generation = await this.generationOf(StrictQuery.of(raw, GENERATION_PARAMS));
    const { document, forms } = await this.provisionForms(key, generation);
    this.assertObserved(document, asOf);
    const form = forms.find((f) => f.validFrom <= asOf && (f.validUntil === null || f.validUntil > asOf));
    if (!form) {
      throw new ProblemException(
        404,
        'not-found',
        `${key} was not in force on ${asOf}; see its history for when it was`,
      );
    }
    return { asOf, ...formView(form) };
  }

  /** The form in force now (or at `asOf`) of a provision; 404 when there is none. */
  async provisionNow(key: string, generation: GovernanceGeneration, asOf?: string) {
    const { document, forms } = await this.provisionForms(key, generation);
    if (asOf !== undefined) this.assertObserved(document, asOf);
    const form = forms.find((f) =>
      asOf === undefined
        ? f.untilVersion === null
        : f.validFrom <= asOf && (f.validUntil === null || f.validUntil > asOf),
    );
    if (!form)
      throw new ProblemException(
        404,
        'not-found',
        `${key} is not in force${asOf ? ` on ${asOf}` : ''}; see its history`,
      );
    return { document, forms, form };
  }

  /** "How other platforms handle this": the most similar provisions of other services in the same category. */
  async similar(key: string, raw: Record<string, unknown>) {
    const query = StrictQuery.of(raw, ['category', 'asOf', 'limit', ...GENERATION_PARAMS]);
    const generation = await this.generationOf(query);
    const asOf = parseAsOf('asOf', query.one('asOf'));
    const { form } = await this.provisionNow(key, generation, asOf);
    const [category] = query.known('category', this.vocabulary.categories, 'category') ?? [
      form.categoryIds[0],
    ];
    const limit = parseBoundedInt('limit', query.one('limit'), SIMILAR_LIMIT) ?? 5;
    return {
      provision: formView(form),
      category: category ?? 'none',
      asOf: asOf ?? null,
      items: await this.comparables(form, category ?? 'none', generation, asOf, limit),
    };
  }

  async comparables(
    form: ProvisionFormView,
    category: string,
    generation: GovernanceGeneration,
    asOf: string | undefined,
    limit: number,
  ) {
    if (category === 'none') return [];
    const services = new Set((await this.readModels.listDocuments()).map((d) => d.serviceSlug));
    services.delete(form.serviceSlug);
    const others = await this.formsPerService(generation, asOf, { categoryId: category }, [...services]);
    return rankBySimilarity(
      form.text,
      others.map((item) => ({ item, text: item.text })),
    )
      .slice(0, limit)
      .map(({ item, score }) => ({
        similarity: score,
        provisionKey: provisionKeyOf(item),
        service: item.service,
        documentType: item.documentType,
        heading: item.heading,
        exposure: item.exposure,
        /** When this provision took its current form (as observed). */
        since: item.validFrom,
        references: item.references.filter((r) => r.primary).map((r) => r.id),
        excerpt: excerpt(item.text),
      }));
  }

  /**
   * The full analysis of a provision's form now (or at `asOf`), from the current classifier, with its history and
   * comparable provisions of other services from the read models. `mapping` is what the read models hold for
   * the generation asked for, which may be an earlier taxonomy than the analysis's.
   */
  async analysis(key: string, raw: Record<string, unknown>) {
    const query = StrictQuery.of(raw, ['asOf', ...GENERATION_PARAMS]);
    const generation = await this.generationOf(query);
    const asOf = parseAsOf('asOf', query.one('asOf'));
    const { document, forms, form } = await this.provisionNow(key, generation, asOf);
    const version = await this.readModels.getVersion(form.documentId, form.fromVersion);
    const history: HistoryEntry[] = forms.map((f, index) => {
      const previous =
        index > 0 && forms[index - 1]!.untilVersion === f.fromVersion ? forms[index - 1]! : null;
      return {
        versionId: `${f.documentId}@${f.fromVersion}`,
        recordedAt: f.validFrom,
        change: previous ? 'modified' : index === 0 ? 'added' : 're-added',
        summary: previous
          ? `exposure ${previous.exposure.level} → ${f.exposure.level}; categories ${f.categoryIds.join(', ')}`
          : `categories ${f.categoryIds.join(', ')}; exposure ${f.exposure.level}`,
        until: f.validUntil,
      };
    });
    const comparables: Comparable[] = (
      await this.comparables(form, form.categoryIds[0] ?? 'none', generation, asOf, 5)
    ).map((c) => ({
      service: c.service,
      documentType: c.documentType,
      provisionId: c.provisionKey,
      heading: c.heading,
      excerpt: c.excerpt,
      exposure: c.exposure.level,
      similarity: c.similarity,
      since: c.since,
    }));
    const analysis = analyseProvision({
      text: form.text,
      heading: form.heading,
      service: form.service,
      documentType: form.documentType,
      source: {
        service: form.service,
        documentType: form.documentType,
        documentId: form.documentId,
        provisionId: form.provisionId,
        versionId: String(form.fromVersion),
        recordedAt: form.validFrom,
        url: document.parts[0]?.sourceUrl,
        snapshotIds: version?.snapshots.map((s) => s.snapshotId) ?? [],
      },
      history,
      comparables,
    });
    return {
      provisionKey: key,
      asOf: asOf ?? null,
      analysis,
      mapping: {
        taxonomyVersion: generation.taxonomyVersion,
        classifierVersion: generation.classifierVersion,
        categories: form.categories,
        references: form.references,
        exposure: form.exposure,
        jurisdictions: form.jurisdictions,
      },
    };
  }

  /**
   * For a category, the services side by side, a page of them in slug order: one query per service of the page,
   * so a page costs the same whatever the size of the catalogue (5,000 services in one answer took 0.8 s).
   */
  async compare(raw: Record<string, unknown>) {
    const query = StrictQuery.of(raw, [
      'category',
      'asOf',
      'service',
      ...GENERATION_PARAMS,
      'limit',
      'cursor',
    ]);
    const categories = query.known('category', this.vocabulary.categories, 'category');
    if (categories?.length !== 1) {
      throw new ProblemException(
        400,
        'invalid-parameter',
        'category is required, one category id (see GET /v1/categories)',
      );
    }
    const category = categories[0]!;
    const asOf = parseAsOf('asOf', query.one('asOf'));
    const limit = parseBoundedInt('limit', query.one('limit'), COMPARE_PAGE_LIMIT) ?? COMPARE_PAGE_LIMIT;
    const cursor = parseCatalogueCursor(query.one('cursor'), SERVICE_CURSOR);
    const generation = await this.generationOf(query);
    const services = query.list('service')?.map((s) => slug(s));
    const all = await this.readModels.listDocuments();
    await this.assertAnyObserved(asOf, all);
    const observed = new Map<string, string>();
    for (const d of all)
      if (
        (services === undefined || services.includes(d.serviceSlug)) &&
        (asOf === undefined || d.firstFetchedAt <= asOf) &&
        (cursor === undefined || d.serviceSlug > cursor)
      )
        observed.set(d.serviceSlug, d.service);
    const slugs = [...observed.keys()].sort();
    const page = slugs.slice(0, limit);
    const forms = await this.formsPerService(generation, asOf, { categoryId: category }, page);
    const byService = new Map(
      page.map((serviceSlug) => [
        serviceSlug,
        {
          service: observed.get(serviceSlug)!,
          serviceSlug,
          exposure: null as string | null,
          provisions: [] as ReturnType<typeof compareItem>[],
        },
      ]),
    );
    for (const form of forms) {
      const row = byService.get(form.serviceSlug);
      if (!row) continue;
      row.provisions.push(compareItem(form, category));
      if (exposureRank(form.exposure.level) > exposureRank(row.exposure as never))
        row.exposure = form.exposure.level;
    }
    const rows = [...byService.values()];
    return {
      category,
      asOf: asOf ?? null,
      taxonomyVersion: generation.taxonomyVersion,
      classifierVersion: generation.classifierVersion,
      services: rows.filter((r) => r.provisions.length > 0),
      /** Services of this page observed by then whose documents have no provision in this category. */
      servicesWithout: rows.filter((r) => r.provisions.length === 0).map((r) => r.service),
      nextCursor: slugs.length > limit ? page[page.length - 1]! : null,
    };
  }

  /**
   * The forms of a category or an article in force (now, or as of a date) in each of these services, at most
   * {@link PER_SERVICE_LIMIT} each, in form order.
   */
  private async formsPerService(
    generation: GovernanceGeneration,
    asOf: string | undefined,
    tag: { categoryId: string } | { referenceId: string },
    serviceSlugs: readonly string[],
  ): Promise<ProvisionFormView[]> {
    const inForce = asOf === undefined ? { current: true } : { asOf };
    const perService = await Promise.all(
      serviceSlugs.map((serviceSlug) =>
        this.readModels.queryProvisionForms({
          generation: generation.generation,
          ...tag,
          ...inForce,
          serviceSlug,
          limit: PER_SERVICE_LIMIT,
        }),
      ),
    );
    return perService.flat().sort(compareForms);
  }

  /**
   * Provisions that engage one article, now or as of a date, in form order (document, provision, version), a page at
   * a time: one read of the article's forms across the generation, or one per service named. It read every
   * service's forms (5,000 reads for 5,000 services) to answer 50, and no cursor reached past the 200th.
   */
  async referenceProvisions(framework: string, article: string, raw: Record<string, unknown>) {
    const query = StrictQuery.of(raw, ['asOf', 'service', 'limit', 'cursor', ...GENERATION_PARAMS]);
    if (!this.vocabulary.frameworks.has(framework))
      throw new ProblemException(404, 'unknown-framework', `Unknown framework "${framework}"`);
    const referenceId = `${framework}/${article}`;
    if (!this.vocabulary.references.has(referenceId)) {
      throw new ProblemException(
        404,
        'unknown-reference',
        `Unknown reference "${referenceId}" (see GET /v1/regulations)`,
      );
    }
    const asOf = parseAsOf('asOf', query.one('asOf'));
    await this.assertAnyObserved(asOf);
    const generation = await this.generationOf(query);
    const limit = parseLimit(query.one('limit'));
    const after = parseFormCursor(query.one('cursor'));
    const afterFormId =
      after && formIdOf(generation.generation, after.documentId, after.provisionId, after.fromVersion);
    const inForce = asOf === undefined ? { current: true } : { asOf };
    const services = query.list('service')?.map((s) => slug(s));
    const scopes = services === undefined ? [undefined] : [...new Set(services)];
    const matching = (
      await Promise.all(
        scopes.map((serviceSlug) =>
          this.readModels.queryProvisionForms({
            generation: generation.generation,
            referenceId,
            ...inForce,
            ...(serviceSlug === undefined ? {} : { serviceSlug }),
            ...(afterFormId === undefined ? {} : { afterFormId }),
            limit: limit + 1,
          }),
        ),
      )
    )
      .flat()
      .sort(compareForms);
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    return {
      reference: referenceId,
      asOf: asOf ?? null,
      taxonomyVersion: generation.taxonomyVersion,
      classifierVersion: generation.classifierVersion,
      items: page.map((form) => ({
        ...compareItem(form, form.categoryIds[0] ?? 'none'),
        primary: form.references.find((r) => r.id === referenceId)?.primary ?? false,
      })),
      nextCursor: matching.length > limit && last ? formCursorOf(last) : null,
    };
  }
}

function direction(before: ProvisionFormView, after: ProvisionFormView): 'raised' | 'lowered' | 'unchanged' {
  const delta = exposureRank(after.exposure.level) - exposureRank(before.exposure.level);
  return delta > 0 ? 'raised' : delta < 0 ? 'lowered' : 'unchanged';
}

const excerpt = (text: string, length = 280): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
};

function compareItem(form: ProvisionFormView, category: string) {
  return {
    provisionKey: provisionKeyOf(form),
    documentId: form.documentId,
    documentType: form.documentType,
    heading: form.heading,
    confidence: form.categories.find((c) => c.id === category)?.confidence ?? null,
    exposure: form.exposure,
    since: form.validFrom,
    fromVersion: form.fromVersion,
    references: form.references.filter((r) => r.primary).map((r) => r.id),
    jurisdictions: form.jurisdictions.map((j) => j.id),
    excerpt: excerpt(form.text),
  };
}
