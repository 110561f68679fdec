import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseInstant, parseLimit, parsePositiveInt } from '../http/paging';
import { ProblemException } from '../http/problem';
import { GovernanceFilterQueries } from '../governance/governance.openapi';
import { GovernanceQueries } from '../governance/governance.queries';
import { CatalogueQueries } from './catalogue.queries';

function parseInclude(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  if (raw === 'hidden') return true;
  throw new ProblemException(400, 'invalid-request', 'include accepts only "hidden" (technical upgrades and retracted flip-backs)');
}

const versionPipe = new ParseIntPipe({
  exceptionFactory: () => new ProblemException(400, 'invalid-request', 'version must be an integer'),
});

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('v1')
export class CatalogueController {
  constructor(private readonly queries: CatalogueQueries, private readonly governance: GovernanceQueries) {}

  @Get('services')
  @ApiOperation({ summary: 'Services with their documents and change counts' })
  async services() {
    return { items: await this.queries.services() };
  }

  @Get('services/:service/timeline')
  @ApiOperation({ summary: 'Changes of every document of one service, newest first' })
  @ApiQuery({ name: 'from', required: false }) @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'limit', required: false }) @ApiQuery({ name: 'cursor', required: false }) @GovernanceFilterQueries()
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
    return this.queries.timeline({ service, from: parseInstant('from', from), to: parseInstant('to', to), limit: parseLimit(limit), cursor, includeHidden: parseInclude(include) });
  }

  @Get('documents')
  @ApiOperation({ summary: 'The document catalogue' })
  @ApiQuery({ name: 'service', required: false })
  async documents(@Query('service') service?: string) {
    return { items: await this.queries.documents(service) };
  }

  @Get('documents/:documentId')
  document(@Param('documentId') documentId: string) {
    return this.queries.document(documentId);
  }

  @Get('documents/:documentId/versions')
  @ApiOperation({ summary: 'Versions of a document, oldest first, without their text (cursor pagination)' })
  @ApiQuery({ name: 'limit', required: false }) @ApiQuery({ name: 'cursor', required: false })
  versions(@Param('documentId') documentId: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.queries.versions(documentId, parseLimit(limit), cursor);
  }

  @Get('documents/:documentId/versions/:version')
  @ApiOperation({ summary: 'One version: text, metadata, and the snapshots it was built from' })
  version(@Param('documentId') documentId: string, @Param('version', versionPipe) version: number) {
    return this.queries.version(documentId, version);
  }

  @Get('documents/:documentId/diff')
  @ApiOperation({ summary: 'Unified patch and statistics between two versions (default: latest against previous)' })
  @ApiQuery({ name: 'from', required: false }) @ApiQuery({ name: 'to', required: false })
  diff(@Param('documentId') documentId: string, @Query('from') from?: string, @Query('to') to?: string) {
    return this.queries.diff(documentId, parsePositiveInt('from', from), parsePositiveInt('to', to));
  }

  @Get('documents/:documentId/provisions')
  @ApiOperation({ summary: 'Provisions of a version (latest by default) with ids that stay stable across versions' })
  @ApiQuery({ name: 'version', required: false })
  provisions(@Param('documentId') documentId: string, @Query('version') version?: string) {
    return this.queries.provisions(documentId, parsePositiveInt('version', version));
  }

  @Get('documents/:documentId/provisions/:provisionId/history')
  @ApiOperation({ summary: 'Every version that added, changed, moved, renamed or removed one provision' })
  provisionHistory(@Param('documentId') documentId: string, @Param('provisionId') provisionId: string) {
    return this.queries.provisionHistory(documentId, provisionId);
  }

  @Get('documents/:documentId/timeline')
  @ApiQuery({ name: 'from', required: false }) @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'limit', required: false }) @ApiQuery({ name: 'cursor', required: false }) @GovernanceFilterQueries()
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
    return this.queries.timeline({ documentId, from: parseInstant('from', from), to: parseInstant('to', to), limit: parseLimit(limit), cursor, includeHidden: parseInclude(include) });
  }

  @Get('documents/:documentId/observations')
  @ApiOperation({ summary: 'Every fetch of the document and what it showed, including "checked, unchanged"' })
  @ApiQuery({ name: 'limit', required: false }) @ApiQuery({ name: 'cursor', required: false })
  observations(@Param('documentId') documentId: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.queries.observations(documentId, parseLimit(limit), cursor);
  }

  @Get('timeline')
  @ApiOperation({ summary: 'Global feed of changes, newest first' })
  @ApiQuery({ name: 'from', required: false }) @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'limit', required: false }) @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'include', required: false, description: '"hidden" adds technical upgrades and retracted flip-backs' })
  @GovernanceFilterQueries()
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
    return this.queries.timeline({ from: parseInstant('from', from), to: parseInstant('to', to), limit: parseLimit(limit), cursor, includeHidden: parseInclude(include) });
  }
}
