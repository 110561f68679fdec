import { Inject, Injectable, Optional } from '@nestjs/common';
import { TEXT_WORK, TextWork } from '@termline/platform';
import { DOCUMENT_ID_PATTERN, slug } from '@termline/domain';
import {
  LISTED_PROVISION_CHANGES,
  listedChanges,
  provisionsOf,
  READ_MODEL_STORE,
  type DocumentView,
  type ReadModelStore,
  type TimelineEntry,
  type VersionSummary,
  type VersionView,
} from '@termline/readmodels';

import {
  CATALOGUE_PAGE_LIMIT,
  parseTimelineCursor,
  parseVersionCursor,
  timelineCursorOf,
  versionCursorOf,
} from '../http/paging';
import { ProblemException } from '../http/problem';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ServiceSummary {
  service: string;
  serviceSlug: string;
  documentCount: number;
  versionCount: number;
  lastChangedAt: string | null;
  documents: Array<{ documentId: string; documentType: string }>;
}

/** Read side of the gateway: answers from the read models, never from the event store. */
@Injectable()
export class CatalogueQueries {
  private readonly textWork: TextWork;

  /** Diffs of long versions are computed in the text-work threads: the event loop keeps accepting fetches. */
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Optional() @Inject(TEXT_WORK) textWork?: TextWork,
  ) {
    this.textWork = textWork ?? TextWork.inThread();
  }

  /**
   * A page of services, in the order of their documents' ids (a service's documents are `<slug>__<type>`, so they
   * sort together), each with every one of its documents: documents are read in pages until the page holds one
   * service more than asked for, or the catalogue ends.
   */
  async services(page: { limit: number; cursor?: string }): Promise<Page<ServiceSummary>> {
    const bySlug = new Map<string, ServiceSummary>();
    // Past every document of the cursor's service: '~' sorts after the characters of a document type's slug.
    let afterDocumentId = page.cursor === undefined ? undefined : `${page.cursor}__~`;
    const batch = CATALOGUE_PAGE_LIMIT;
    for (;;) {
      const documents = await this.readModels.listDocuments(undefined, { afterDocumentId, limit: batch });
      for (const document of documents) {
        const summary = bySlug.get(document.serviceSlug) ?? {
          service: document.service,
          serviceSlug: document.serviceSlug,
          documentCount: 0,
          versionCount: 0,
          lastChangedAt: null,
          documents: [],
        };
        summary.documentCount += 1;
        summary.versionCount += document.versionCount;
        if (
          document.lastChangedAt &&
          (!summary.lastChangedAt || document.lastChangedAt > summary.lastChangedAt)
        ) {
          summary.lastChangedAt = document.lastChangedAt;
        }
        summary.documents.push({ documentId: document.documentId, documentType: document.documentType });
        bySlug.set(document.serviceSlug, summary);
      }
      if (documents.length < batch || bySlug.size > page.limit) break;
      afterDocumentId = documents[documents.length - 1]!.documentId;
    }
    const items = [...bySlug.values()].slice(0, page.limit);
    return {
      items,
      nextCursor: bySlug.size > page.limit ? items[items.length - 1]!.serviceSlug : null,
    };
  }

  async documents(
    service: string | undefined,
    page: { limit: number; cursor?: string },
  ): Promise<Page<DocumentView>> {
    const items = await this.readModels.listDocuments(service === undefined ? undefined : slug(service), {
      afterDocumentId: page.cursor,
      limit: page.limit + 1,
    });
    const shown = items.slice(0, page.limit);
    return {
      items: shown,
      nextCursor: items.length > page.limit ? shown[shown.length - 1]!.documentId : null,
    };
  }

  async document(documentId: string): Promise<DocumentView> {
    this.assertDocumentId(documentId);
    const document = await this.readModels.getDocument(documentId);
    if (!document) throw new ProblemException(404, 'not-found', `No document ${documentId}`);
    return document;
  }

  async versions(documentId: string, limit: number, cursor?: string): Promise<Page<VersionListItem>> {
    await this.document(documentId);
    const afterVersion = parseVersionCursor(cursor);
    const items = await this.readModels.listVersions(documentId, { afterVersion, limit: limit + 1 });
    const page = items.slice(0, limit);
    return {
      items: page.map(versionListItem),
      nextCursor: items.length > limit ? versionCursorOf(page[page.length - 1]!.version) : null,
    };
  }

  async version(documentId: string, version: number): Promise<VersionView> {
    await this.document(documentId);
    const found = await this.readModels.getVersion(documentId, version);
    if (!found)
      throw new ProblemException(404, 'not-found', `Document ${documentId} has no version ${version}`);
    return found;
  }

  async diff(documentId: string, from: number | undefined, to: number | undefined) {
    const document = await this.document(documentId);
    const toVersion = to ?? document.latestVersion?.version;
    if (toVersion === undefined)
      throw new ProblemException(404, 'not-found', `Document ${documentId} has no version yet`);
    const fromVersion = from ?? (await this.version(documentId, toVersion)).previousVersion;
    // No diff exists before the first version: the resource is missing, the request is fine.
    if (fromVersion === null)
      throw new ProblemException(
        404,
        'not-found',
        `Version ${toVersion} of ${documentId} has no version before it to compare with; name one with from`,
      );
    // from = to is a valid question with an empty answer.
    const [older, newer] = await Promise.all([
      this.version(documentId, fromVersion),
      this.version(documentId, toVersion),
    ]);
    return this.textWork.diffView(documentId, older, newer);
  }

  async timeline(query: {
    documentId?: string;
    service?: string;
    from?: string;
    to?: string;
    limit: number;
    cursor?: string;
    includeHidden?: boolean;
  }): Promise<Page<TimelineEntry>> {
    if (query.documentId !== undefined) await this.document(query.documentId);
    const after = parseTimelineCursor(query.cursor);
    const items = await this.readModels.queryTimeline({
      documentId: query.documentId,
      serviceSlug: query.service === undefined ? undefined : slug(query.service),
      from: query.from,
      to: query.to,
      after,
      includeHidden: query.includeHidden,
      limit: query.limit + 1,
    });
    const page = items.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor: items.length > query.limit && last ? timelineCursorOf(last.at, last.entryId) : null,
    };
  }

  async observations(documentId: string, limit: number, cursor?: string) {
    await this.document(documentId);
    const afterStreamVersion = parseVersionCursor(cursor);
    const items = await this.readModels.listObservations(documentId, {
      afterStreamVersion,
      limit: limit + 1,
    });
    const page = items.slice(0, limit);
    return {
      items: page,
      nextCursor: items.length > limit ? versionCursorOf(page[page.length - 1]!.streamVersion) : null,
    };
  }

  /**
   * The provisions of a version (latest by default), with their stable ids, headings and text, in document order, a
   * page at a time (`offset`: how many came before).
   */
  async provisions(documentId: string, version: number | undefined, page: { limit: number; offset: number }) {
    const document = await this.document(documentId);
    const number = version ?? document.latestVersion?.version;
    if (number === undefined)
      throw new ProblemException(404, 'not-found', `Document ${documentId} has no version yet`);
    const found = await this.version(documentId, number);
    const all = provisionsOf(found);
    const next = page.offset + page.limit;
    return {
      documentId,
      version: number,
      provisionCount: all.length,
      nextCursor: next < all.length ? String(next) : null,
      items: all.slice(page.offset, next).map((p) => ({
        provisionId: p.id,
        kind: p.kind,
        level: p.level,
        number: p.number,
        heading: p.heading,
        text: p.text,
      })),
    };
  }

  /** Every version that touched one provision, oldest first, with what happened to it. */
  async provisionHistory(documentId: string, provisionId: string) {
    await this.document(documentId);
    const history: Array<{
      version: number;
      validFrom: string;
      change: string;
      heading: string;
      wordsAdded: number;
      wordsRemoved: number;
      retracted: boolean;
      technicalUpgrade: boolean;
    }> = [];
    let afterVersion = 0;
    for (;;) {
      const page = await this.readModels.listVersions(documentId, { afterVersion, limit: 200 });
      for (const version of page) {
        const changes =
          version.version === 1 || version.previousVersion === null
            ? []
            : version.provisionChanges.filter((c) => c.provisionId === provisionId);
        const introduced = version.previousVersion === null && version.provisionIds.includes(provisionId);
        for (const change of introduced
          ? [{ change: 'added', heading: '', wordsAdded: 0, wordsRemoved: 0 }]
          : changes) {
          history.push({
            version: version.version,
            validFrom: version.validFrom,
            change: change.change,
            heading: change.heading,
            wordsAdded: change.wordsAdded,
            wordsRemoved: change.wordsRemoved,
            retracted: version.retracted !== null,
            technicalUpgrade: version.technicalUpgrade,
          });
        }
      }
      if (page.length < 200) break;
      afterVersion = page[page.length - 1]!.version;
    }
    if (history.length === 0)
      throw new ProblemException(
        404,
        'not-found',
        `Document ${documentId} never had a provision ${provisionId}`,
      );
    return { documentId, provisionId, history };
  }

  async serviceExists(service: string): Promise<void> {
    if ((await this.readModels.listDocuments(slug(service))).length === 0) {
      throw new ProblemException(404, 'not-found', `No service ${service}`);
    }
  }

  private assertDocumentId(documentId: string): void {
    if (!DOCUMENT_ID_PATTERN.test(documentId)) {
      throw new ProblemException(
        404,
        'not-found',
        `${documentId} is not a document id (they look like acme-cloud__terms-of-service)`,
      );
    }
  }
}

/**
 * A version as a list names it: its provisions counted rather than listed, and its first provision changes only.
 * `GET .../versions/{version}` answers them all (and the text).
 */
export function versionListItem(summary: VersionSummary) {
  const { provisionIds, provisionChanges, ...rest } = summary;
  const { listed, omitted } = listedChanges(provisionChanges, LISTED_PROVISION_CHANGES);
  return {
    ...rest,
    provisionCount: provisionIds.length,
    provisionChanges: listed,
    provisionChangesOmitted: omitted,
  };
}
export type VersionListItem = ReturnType<typeof versionListItem>;
