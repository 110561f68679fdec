import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { slug } from '@termline/domain';
import type { Request, Response } from 'express';
import { RequireRole } from '../auth/roles';
import { ProblemException } from '../http/problem';
import { buildAtomFeed, type AtomEntry } from './atom-feed';
import { AtomResponses, CategoryParam, LimitQuery, TaxonomyVersionQuery } from './governance.openapi';
import { GENERATION_PARAMS, GovernanceQueries, type GovernanceEntryView } from './governance.queries';
import { StrictQuery } from './strict-query';

const FEED_PARAMS = ['limit', ...GENERATION_PARAMS];
/** Stable ids for feeds and entries: tag URIs (RFC 4151) under the project's name. */
const tag = (path: string) => `tag:termline.dev,2026:${path}`;

function summaryOf(entry: GovernanceEntryView): string {
  const { exposure, provisions } = entry.governance;
  const lines = [
    `Observed ${entry.at}; materiality ${entry.materiality.level}; exposure ${exposure.before ?? '—'} → ${exposure.after ?? '—'} (${exposure.direction}).`,
    ...entry.statedDates.map((d) => `Stated ${d.kind}: ${d.date}.`),
    ...provisions
      .slice(0, 20)
      .map(
        (p) =>
          `${p.change}: ${p.heading || p.provisionId} [${(p.after ?? p.before)?.categoryIds.join(', ') ?? ''}] ${p.before?.exposure ?? '—'} → ${p.after?.exposure ?? '—'}`,
      ),
  ];
  const more = provisions.length + entry.governance.provisionsOmitted - 20;
  if (more > 0) lines.push(`… and ${more} more provisions.`);
  return lines.join('\n');
}

function titleOf(entry: GovernanceEntryView): string {
  const categories = entry.governance.categories.slice(0, 3).join(', ');
  const what = entry.kind === 'first' ? 'first version' : `version ${entry.version}`;
  return `${entry.service} ${entry.documentType}, ${what}${categories ? `: ${categories}` : ''}`;
}

/** Atom feeds of governance changes per service, per document and per category. */
@ApiTags('governance')
@ApiBearerAuth()
@RequireRole('reader')
@Controller('v1/feeds')
export class FeedsController {
  constructor(private readonly queries: GovernanceQueries) {}

  @Get('services/:service')
  @ApiOperation({ summary: 'Atom feed of the governance changes of one service' })
  @LimitQuery()
  @TaxonomyVersionQuery()
  @AtomResponses()
  async service(
    @Param('service') service: string,
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const documents = await this.queries.documentsOf(service);
    if (documents.length === 0) throw new ProblemException(404, 'not-found', `No service ${service}`);
    await this.send(
      request,
      response,
      `feeds/services/${slug(service)}`,
      `${documents[0]!.service}: governance changes`,
      { service },
      query,
    );
  }

  @Get('documents/:documentId')
  @ApiOperation({ summary: 'Atom feed of the governance changes of one document' })
  @LimitQuery()
  @TaxonomyVersionQuery()
  @AtomResponses()
  async document(
    @Param('documentId') documentId: string,
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const document = await this.queries.document(documentId);
    await this.send(
      request,
      response,
      `feeds/documents/${documentId}`,
      `${document.service} ${document.documentType}: governance changes`,
      { documentId },
      query,
    );
  }

  @Get('categories/:category')
  @ApiOperation({ summary: 'Atom feed of the changes, across services, to provisions of one category' })
  @CategoryParam()
  @LimitQuery()
  @TaxonomyVersionQuery()
  @AtomResponses()
  async category(
    @Param('category') category: string,
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    if (!this.queries.vocabulary.categories.has(category))
      throw new ProblemException(404, 'unknown-category', `Unknown category "${category}"`);
    await this.send(
      request,
      response,
      `feeds/categories/${category}`,
      `Changes to ${category} provisions`,
      {},
      query,
      { categoryIds: [category] },
    );
  }

  private async send(
    request: Request,
    response: Response,
    path: string,
    title: string,
    scope: { documentId?: string; service?: string },
    raw: Record<string, unknown>,
    extra: { categoryIds?: string[] } = {},
  ): Promise<void> {
    const query = StrictQuery.of(raw, FEED_PARAMS);
    const page = await this.queries.timeline(scope, query, extra);
    const base = `${request.protocol}://${request.get('host') ?? 'localhost'}`;
    const entries: AtomEntry[] = page.items.map((entry) => ({
      id: tag(entry.entryId),
      title: titleOf(entry),
      updated: entry.at,
      link: `${base}/v1/documents/${entry.documentId}/versions/${entry.version}`,
      summary: summaryOf(entry),
      categories: entry.governance.categories,
    }));
    const xml = buildAtomFeed({
      id: tag(path),
      title,
      selfUrl: `${base}/v1/${path}`,
      fallbackUpdated: '2026-01-01T00:00:00.000Z',
      entries,
    });
    response.status(200).type('application/atom+xml; charset=utf-8').send(xml);
  }
}
