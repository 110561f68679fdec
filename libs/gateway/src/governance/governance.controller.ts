import { FORM_CURSOR, PROVISION_PAGE_LIMIT, TIMELINE_CURSOR, VERSION_CURSOR } from '../http/paging';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/roles';
import {
  ANALYSIS_SCHEMA,
  CategoryQuery,
  FrameworkParam,
  AsOfQuery,
  COMPARE_SCHEMA,
  DateParam,
  DOCUMENT_AS_OF_SCHEMA,
  EFFECTIVE_DATES_SCHEMA,
  ENTRY_PROVISIONS_SCHEMA,
  FORM_SCHEMA,
  GENERATIONS_SCHEMA,
  GovernanceResponses,
  HISTORY_SCHEMA,
  LimitQuery,
  ProvisionKeyParam,
  REFERENCE_PROVISIONS_SCHEMA,
  SIMILAR_SCHEMA,
  TaxonomyVersionQuery,
} from './governance.openapi';
import { COMPARE_PAGE_LIMIT, GovernanceQueries, SIMILAR_LIMIT } from './governance.queries';
import { PARAMETERS } from '../http/openapi.schemas';

/** The governance layer's read routes: as-of, provision histories, comparisons, stated dates. */
@ApiTags('governance')
@ApiBearerAuth()
@RequireRole('reader')
@Controller('v1')
export class GovernanceController {
  constructor(private readonly queries: GovernanceQueries) {}

  @Get('governance/generations')
  @ApiOperation({ summary: 'The taxonomy and classifier versions mapped so far, and the current one' })
  @GovernanceResponses(GENERATIONS_SCHEMA)
  generations() {
    return this.queries.generations();
  }

  @Get('effective-dates')
  @ApiOperation({
    summary:
      'Versions whose text states an effective date, beside the date observed; upcoming=true: still ahead',
  })
  @ApiQuery({ name: 'upcoming', required: false, schema: { type: 'boolean' } })
  @ApiQuery({ name: 'service', required: false, schema: { type: 'string', minLength: 1 } })
  @ApiQuery({ name: 'documentType', required: false, schema: { type: 'string', minLength: 1 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', pattern: TIMELINE_CURSOR.source } })
  @LimitQuery()
  @TaxonomyVersionQuery()
  @GovernanceResponses(EFFECTIVE_DATES_SCHEMA)
  effectiveDates(@Query() query: Record<string, unknown>) {
    return this.queries.effectiveDates(query);
  }

  @Get('timeline/:entryId/provisions')
  @ApiOperation({
    summary:
      'Every provision change of one timeline entry and what it engaged before and after, in document order',
  })
  @ApiParam({ name: 'entryId', schema: { type: 'string' }, example: 'acme__privacy-policy:000002' })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', pattern: VERSION_CURSOR.source } })
  @LimitQuery()
  @TaxonomyVersionQuery()
  @GovernanceResponses(ENTRY_PROVISIONS_SCHEMA)
  entryProvisions(@Param('entryId') entryId: string, @Query() query: Record<string, unknown>) {
    return this.queries.entryProvisions(entryId, query);
  }

  @Get('documents/:documentId/as-of/:date')
  @ApiOperation({
    summary: 'A document as it was on a date: the version in force, its provisions and what each engaged',
  })
  @DateParam()
  @TaxonomyVersionQuery()
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: PROVISION_PAGE_LIMIT },
  })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', pattern: VERSION_CURSOR.source } })
  @GovernanceResponses(
    DOCUMENT_AS_OF_SCHEMA,
    [404, 'No such document'],
    [422, 'The date is before the first observation'],
  )
  documentAsOf(
    @Param('documentId') documentId: string,
    @Param('date') date: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.queries.documentAsOf(documentId, date, query);
  }

  @Get('provisions/:provisionKey/history')
  @ApiOperation({
    summary: 'Every form a provision took, with its categories, articles and exposure, oldest first',
  })
  @ProvisionKeyParam()
  @TaxonomyVersionQuery()
  @GovernanceResponses(HISTORY_SCHEMA, [404, 'No such provision'])
  provisionHistory(@Param('provisionKey') key: string, @Query() query: Record<string, unknown>) {
    return this.queries.provisionHistory(key, query);
  }

  @Get('provisions/:provisionKey/as-of/:date')
  @ApiOperation({ summary: 'A provision as it was on a date' })
  @ProvisionKeyParam()
  @DateParam()
  @TaxonomyVersionQuery()
  @GovernanceResponses(
    FORM_SCHEMA,
    [404, 'No such provision, or not in force then'],
    [422, 'The date is before the first observation'],
  )
  provisionAsOf(
    @Param('provisionKey') key: string,
    @Param('date') date: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.queries.provisionAsOf(key, date, query);
  }

  @Get('provisions/:provisionKey/similar')
  @ApiOperation({
    summary:
      'How other platforms handle this: the most similar provisions of other services in the same category',
  })
  @ProvisionKeyParam()
  @AsOfQuery()
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: SIMILAR_LIMIT },
    description: 'Provisions answered, most similar first (default 5)',
  })
  @TaxonomyVersionQuery()
  @CategoryQuery(false, 'Default: the provision’s main category')
  @GovernanceResponses(SIMILAR_SCHEMA, [404, 'No such provision, or not in force then'])
  similar(@Param('provisionKey') key: string, @Query() query: Record<string, unknown>) {
    return this.queries.similar(key, query);
  }

  @Get('provisions/:provisionKey/analysis')
  @ApiOperation({
    summary:
      'A provision analysed: statement, quote with source, articles with rationale, exposure, history, comparables',
  })
  @ProvisionKeyParam()
  @AsOfQuery()
  @TaxonomyVersionQuery()
  @GovernanceResponses(
    ANALYSIS_SCHEMA,
    [404, 'No such provision, or not in force then'],
    [422, 'The date is before the first observation'],
  )
  analysis(@Param('provisionKey') key: string, @Query() query: Record<string, unknown>) {
    return this.queries.analysis(key, query);
  }

  @Get('compare')
  @ApiOperation({ summary: 'For a category, every service side by side (now, or as of a date)' })
  @CategoryQuery(true)
  @AsOfQuery()
  @TaxonomyVersionQuery()
  @ApiQuery({
    name: 'service',
    required: false,
    schema: { type: 'string', minLength: 1 },
    description: 'Only these services (comma-separated)',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: COMPARE_PAGE_LIMIT },
    description: `Services per page, in slug order (default and most: ${COMPARE_PAGE_LIMIT})`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: PARAMETERS.serviceCursor,
    description: 'The nextCursor of the page before',
  })
  @GovernanceResponses(COMPARE_SCHEMA, [422, 'asOf before the first observation'])
  compare(@Query() query: Record<string, unknown>) {
    return this.queries.compare(query);
  }

  @Get('regulations/:framework/:reference/provisions')
  @ApiOperation({
    summary:
      'Provisions that engage one article (now, or as of a date), in document and provision order, paged',
  })
  @FrameworkParam()
  @ApiParam({
    name: 'reference',
    schema: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
    example: 'art-5-1-e',
  })
  @AsOfQuery()
  @LimitQuery()
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', pattern: FORM_CURSOR.source, maxLength: 700 },
    description: 'The nextCursor of the page before',
  })
  @TaxonomyVersionQuery()
  @ApiQuery({
    name: 'service',
    required: false,
    schema: { type: 'string', minLength: 1 },
    description: 'Only these services (comma-separated)',
  })
  @GovernanceResponses(REFERENCE_PROVISIONS_SCHEMA, [404, 'Unknown framework or reference'])
  referenceProvisions(
    @Param('framework') framework: string,
    @Param('reference') reference: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.queries.referenceProvisions(framework, reference, query);
  }
}
