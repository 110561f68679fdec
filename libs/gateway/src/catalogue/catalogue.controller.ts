import { Controller, Get, Param, Query, type PipeTransform } from '@nestjs/common';
import { DOCUMENT_ID_PATTERN } from '@termline/domain';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiCataloguePaging,
  ApiPaging,
  ApiPathParam,
  ApiProblems,
  ApiQueryParam,
  ApiTimelineQuery,
} from '../http/api-docs.decorators';
import {
  CATALOGUE_PAGE_LIMIT,
  PROVISION_PAGE_LIMIT,
  SERVICE_CURSOR,
  parseCatalogueCursor,
  VERSION_CURSOR,
  parseBoundedInt,
  parseInstant,
  parseLimit,
  parseName,
  parsePositiveInt,
  parseVersionCursor,
} from '../http/paging';
import { ProblemException } from '../http/problem';
import {
  GOVERNANCE_ENTRY_SCHEMA,
  GovernanceFilterQueries,
  page as governancePage,
} from '../governance/governance.openapi';
import { ref } from '../http/openapi.schemas';
import { GovernanceQueries } from '../governance/governance.queries';
import { CatalogueQueries } from './catalogue.queries';

/** A timeline page; with a governance filter (category, framework, ...), a page of governance entries. */
const ApiTimelineAnswer = () =>
  ApiResponse({
    status: 200,
    description: 'Timeline entries; governance entries when a governance filter is given',
    content: {
      'application/json': {
        schema: { anyOf: [ref('TimelinePage'), governancePage(GOVERNANCE_ENTRY_SCHEMA)] },
      },
    },
  });

function parseInclude(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  if (raw === 'hidden') return true;
  throw new ProblemException(
    400,
    'invalid-request',
    'include accepts only "hidden" (technical upgrades and retracted flip-backs)',
  );
}

// Strict, like the query values: ParseIntPipe would take '-1' or '+1'.
const versionPipe: PipeTransform<string, number> = { transform: (raw) => parsePositiveInt('version', raw)! };

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('v1')
export class CatalogueController {
  constructor(
    private readonly queries: CatalogueQueries,
    private readonly governance: GovernanceQueries,
  ) {}

  @Get('services')
  @ApiOperation({
    summary:
      'Services with their documents and change counts, in the order of their document ids (cursor pagination)',
  })
  @ApiCataloguePaging('serviceCursor', 'Services per page')
  @ApiAnswer(200, 'ServiceList')
  @ApiProblems(400)
  services(@Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.queries.services({
      limit: parseBoundedInt('limit', limit, CATALOGUE_PAGE_LIMIT) ?? CATALOGUE_PAGE_LIMIT,
      cursor: parseCatalogueCursor(cursor, SERVICE_CURSOR),
    });
  }

  @Get('services/:service/timeline')
  @ApiOperation({ summary: 'Changes of every document of one service, newest first' })
  @ApiPathParam('service', 'service')
  @ApiTimelineQuery()
  @GovernanceFilterQueries()
  @ApiTimelineAnswer()
  @ApiProblems(400, 404)
  async serviceTimeline(
    @Param('service') service: string,
    @Query() all: Record<string, unknown>,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('include') include?: string,
  ) {
    await this.queries.serviceExists(service);
    const governance = await this.governance.timelineOrNull({ service }, all);
    if (governance) return governance;
    return this.queries.timeline({
      service,
      from: parseInstant('from', from),
      to: parseInstant('to', to),
      limit: parseLimit(limit),
      cursor,
      includeHidden: parseInclude(include),
    });
  }

  @Get('documents')
  @ApiOperation({ summary: 'The document catalogue, in document id order (cursor pagination)' })
  @ApiQueryParam('service', 'service', 'Only the documents of this service (name or slug)')
  @ApiCataloguePaging('documentId', 'Documents per page')
  @ApiAnswer(200, 'DocumentList')
  @ApiProblems(400)
  documents(
    @Query('service') service?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.queries.documents(parseName('service', service), {
      limit: parseBoundedInt('limit', limit, CATALOGUE_PAGE_LIMIT) ?? CATALOGUE_PAGE_LIMIT,
      cursor: parseCatalogueCursor(cursor, DOCUMENT_ID_PATTERN),
    });
  }

  @Get('documents/:documentId')
  @ApiOperation({ summary: 'One document: its parts, fetch counts, latest version and last failure' })
  @ApiPathParam('documentId', 'documentId')
  @ApiAnswer(200, 'Document')
  @ApiProblems(404)
  document(@Param('documentId') documentId: string) {
    return this.queries.document(documentId);
  }

  @Get('documents/:documentId/versions')
  @ApiOperation({ summary: 'Versions of a document, oldest first, without their text (cursor pagination)' })
  @ApiPathParam('documentId', 'documentId')
  @ApiPaging()
  @ApiAnswer(200, 'VersionPage')
  @ApiProblems(400, 404)
  versions(
    @Param('documentId') documentId: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.queries.versions(documentId, parseLimit(limit), cursor);
  }

  @Get('documents/:documentId/versions/:version')
  @ApiOperation({ summary: 'One version: text, metadata, and the snapshots it was built from' })
  @ApiPathParam('documentId', 'documentId')
  @ApiPathParam('version', 'version')
  @ApiAnswer(200, 'Version')
  @ApiProblems(400, 404)
  version(@Param('documentId') documentId: string, @Param('version', versionPipe) version: number) {
    return this.queries.version(documentId, version);
  }

  @Get('documents/:documentId/diff')
  @ApiOperation({
    summary: 'Unified patch and statistics between two versions (default: latest against previous)',
  })
  @ApiPathParam('documentId', 'documentId')
  @ApiQueryParam('from', 'version', 'The older version (default: the one before "to")')
  @ApiQueryParam('to', 'version', 'The newer version (default: the latest)')
  @ApiAnswer(200, 'Diff')
  @ApiProblems(400, 404)
  diff(@Param('documentId') documentId: string, @Query('from') from?: string, @Query('to') to?: string) {
    return this.queries.diff(documentId, parsePositiveInt('from', from), parsePositiveInt('to', to));
  }

  @Get('documents/:documentId/provisions')
  @ApiOperation({
    summary: 'Provisions of a version (latest by default) with ids that stay stable across versions',
  })
  @ApiPathParam('documentId', 'documentId')
  @ApiQueryParam('version', 'version')
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `Provisions per page (default and most: ${PROVISION_PAGE_LIMIT})`,
    schema: { type: 'integer', minimum: 1, maximum: PROVISION_PAGE_LIMIT },
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: 'The nextCursor of the page before',
    schema: { type: 'string', pattern: VERSION_CURSOR.source },
  })
  @ApiAnswer(200, 'Provisions')
  @ApiProblems(400, 404)
  provisions(
    @Param('documentId') documentId: string,
    @Query('version') version?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.queries.provisions(documentId, parsePositiveInt('version', version), {
      limit: parseBoundedInt('limit', limit, PROVISION_PAGE_LIMIT) ?? PROVISION_PAGE_LIMIT,
      // The cursor is the number of provisions already answered (a positive integer, like a version cursor).
      offset: parseVersionCursor(cursor) ?? 0,
    });
  }

  @Get('documents/:documentId/provisions/:provisionId/history')
  @ApiOperation({ summary: 'Every version that added, changed, moved, renamed or removed one provision' })
  @ApiPathParam('documentId', 'documentId')
  @ApiPathParam('provisionId', 'provisionId')
  @ApiAnswer(200, 'ProvisionHistory')
  @ApiProblems(404)
  provisionHistory(@Param('documentId') documentId: string, @Param('provisionId') provisionId: string) {
    return this.queries.provisionHistory(documentId, provisionId);
  }

  @Get('documents/:documentId/timeline')
  @ApiOperation({ summary: 'Changes of one document, newest first' })
  @ApiPathParam('documentId', 'documentId')
  @ApiTimelineQuery()
  @GovernanceFilterQueries()
  @ApiTimelineAnswer()
  @ApiProblems(400, 404)
  async documentTimeline(
    @Param('documentId') documentId: string,
    @Query() all: Record<string, unknown>,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('include') include?: string,
  ) {
    const governance = await this.governance.timelineOrNull({ documentId }, all);
    if (governance) return governance;
    return this.queries.timeline({
      documentId,
      from: parseInstant('from', from),
      to: parseInstant('to', to),
      limit: parseLimit(limit),
      cursor,
      includeHidden: parseInclude(include),
    });
  }

  @Get('documents/:documentId/observations')
  @ApiOperation({ summary: 'Every fetch of the document and what it showed, including "checked, unchanged"' })
  @ApiPathParam('documentId', 'documentId')
  @ApiPaging()
  @ApiAnswer(200, 'ObservationPage')
  @ApiProblems(400, 404)
  observations(
    @Param('documentId') documentId: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.queries.observations(documentId, parseLimit(limit), cursor);
  }

  @Get('timeline')
  @ApiOperation({ summary: 'Global feed of changes, newest first' })
  @ApiTimelineQuery()
  @GovernanceFilterQueries()
  @ApiTimelineAnswer()
  @ApiProblems(400, 404)
  async timeline(
    @Query() all: Record<string, unknown>,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('include') include?: string,
  ) {
    // Any governance filter (category, framework, reference, exposure …) answers governance entries.
    const governance = await this.governance.timelineOrNull({}, all);
    if (governance) return governance;
    return this.queries.timeline({
      from: parseInstant('from', from),
      to: parseInstant('to', to),
      limit: parseLimit(limit),
      cursor,
      includeHidden: parseInclude(include),
    });
  }
}
