import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { EXPOSURE_LEVELS } from '@termline/readmodels';
import { CATEGORY_IDS, FRAMEWORK_IDS, REFERENCES } from '@termline/regulatory';
import { MATERIALITY_LEVELS } from './strict-query';

/** OpenAPI pieces of the governance routes: response schemas, problem answers and parameter constraints. */

const string = { type: 'string' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const array = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
const object = (
  properties: Record<string, SchemaObject>,
  required = Object.keys(properties),
): SchemaObject => ({
  type: 'object',
  properties,
  required,
});
const exposureLevel: SchemaObject = { type: 'string', enum: [...EXPOSURE_LEVELS] };

export const PROBLEM_SCHEMA = object(
  {
    type: { type: 'string', format: 'uri' },
    title: string,
    status: { type: 'integer' },
    detail: string,
    instance: string,
    code: string,
    errors: array(string),
  },
  ['type', 'title', 'status', 'detail', 'code'],
);

const statedDate = object({
  kind: { type: 'string', enum: ['effective', 'last-updated'] },
  date: { type: 'string', format: 'date' },
  phrase: string,
});
const reference = object({
  id: string,
  framework: string,
  article: string,
  title: string,
  url: string,
  primary: { type: 'boolean' },
});

export const FORM_SCHEMA = object({
  provisionKey: { type: 'string', example: 'nimbus-notes__terms-of-service:2-your-content' },
  documentId: string,
  provisionId: string,
  service: string,
  serviceSlug: string,
  documentType: string,
  heading: string,
  text: string,
  textSha256: string,
  fromVersion: { type: 'integer' },
  since: dateTime,
  untilVersion: nullable({ type: 'integer' }),
  until: nullable(dateTime),
  categories: array(object({ id: string, confidence: { type: 'number' } })),
  references: array(reference),
  exposure: object({ level: exposureLevel, reasons: array(string) }),
  jurisdictions: array(object({ id: string, level: string, reason: string })),
  taxonomyVersion: string,
  classifierVersion: string,
});

const side = nullable(
  object({ categoryIds: array(string), referenceIds: array(string), exposure: exposureLevel }),
);

const provisionChange = object({
  provisionKey: string,
  provisionId: string,
  heading: string,
  change: { type: 'string', enum: ['added', 'removed', 'modified'] },
  before: side,
  after: side,
});

export const GOVERNANCE_ENTRY_SCHEMA = object({
  entryId: string,
  documentId: string,
  service: string,
  serviceSlug: string,
  documentType: string,
  version: { type: 'integer' },
  at: { ...dateTime, description: 'When Termline observed the version' },
  kind: { type: 'string', enum: ['first', 'change', 'technical-upgrade'] },
  retracted: { type: 'boolean' },
  stats: { type: 'object' },
  materiality: object({
    level: { type: 'string', enum: ['none', 'cosmetic', 'minor', 'substantive'] },
    reasons: array(string),
  }),
  provisionsChanged: { type: 'integer' },
  statedDates: array(statedDate),
  effectiveAt: nullable(dateTime),
  governance: object({
    taxonomyVersion: string,
    classifierVersion: string,
    categories: array(string),
    frameworks: array(string),
    references: array(string),
    jurisdictions: array(string),
    exposure: object({
      before: nullable(exposureLevel),
      after: nullable(exposureLevel),
      direction: { type: 'string', enum: ['raised', 'lowered', 'unchanged'] },
    }),
    provisions: array(provisionChange),
    provisionsOmitted: {
      type: 'integer',
      minimum: 0,
      description:
        'Changed provisions a list leaves out (it names at most 50, those its filters ask for first): ' +
        'GET /v1/timeline/{entryId}/provisions pages them all',
    },
  }),
});

export const ENTRY_PROVISIONS_SCHEMA = object({
  entryId: string,
  documentId: string,
  version: { type: 'integer' },
  taxonomyVersion: string,
  classifierVersion: string,
  provisionsChanged: { type: 'integer' },
  total: { type: 'integer', description: 'Provision changes of the entry with a mapping (text changed)' },
  items: array(provisionChange),
  nextCursor: nullable(string),
});

export const page = (item: SchemaObject): SchemaObject =>
  object({ items: array(item), nextCursor: nullable(string) });

const comparable = object({
  provisionKey: string,
  documentId: string,
  documentType: string,
  heading: string,
  confidence: nullable({ type: 'number' }),
  exposure: object({ level: exposureLevel, reasons: array(string) }),
  since: dateTime,
  fromVersion: { type: 'integer' },
  references: array(string),
  jurisdictions: array(string),
  excerpt: string,
});

export const COMPARE_SCHEMA = object({
  category: string,
  asOf: nullable(dateTime),
  taxonomyVersion: string,
  classifierVersion: string,
  services: array(
    object({
      service: string,
      serviceSlug: string,
      exposure: nullable(exposureLevel),
      provisions: array(comparable),
    }),
  ),
  servicesWithout: array(string),
  nextCursor: nullable(string),
});

export const REFERENCE_PROVISIONS_SCHEMA = object({
  reference: string,
  asOf: nullable(dateTime),
  taxonomyVersion: string,
  classifierVersion: string,
  items: array({ ...comparable, properties: { ...comparable.properties, primary: { type: 'boolean' } } }),
  nextCursor: nullable(string),
});

export const SIMILAR_SCHEMA = object({
  provision: FORM_SCHEMA,
  category: string,
  asOf: nullable(dateTime),
  items: array(
    object({
      similarity: { type: 'number', minimum: 0, maximum: 1 },
      provisionKey: string,
      service: string,
      documentType: string,
      heading: string,
      exposure: object({ level: exposureLevel, reasons: array(string) }),
      since: { ...dateTime, description: 'When the provision took its current form' },
      references: array(string),
      excerpt: string,
    }),
  ),
});

export const HISTORY_SCHEMA = object({
  provisionKey: string,
  documentId: string,
  service: string,
  documentType: string,
  taxonomyVersion: string,
  classifierVersion: string,
  current: { type: 'boolean' },
  removedAt: nullable(dateTime),
  history: array({
    ...FORM_SCHEMA,
    properties: {
      ...FORM_SCHEMA.properties,
      change: { type: 'string', enum: ['added', 'modified', 're-added'] },
      exposureChange: nullable(object({ before: exposureLevel, after: exposureLevel, direction: string })),
      categoriesAdded: array(string),
      categoriesRemoved: array(string),
    },
  }),
});

export const DOCUMENT_AS_OF_SCHEMA = object({
  documentId: string,
  service: string,
  documentType: string,
  asOf: dateTime,
  version: { type: 'integer' },
  observedAt: dateTime,
  statedDates: array(statedDate),
  effectiveAt: nullable(dateTime),
  taxonomyVersion: string,
  classifierVersion: string,
  text: {
    ...nullable(string),
    description: "The version's text, on the first page (null on the pages a cursor asks for)",
  },
  provisionCount: { type: 'integer', description: 'Provisions of the version in force' },
  provisions: { ...array(FORM_SCHEMA), description: 'In document order, a page of them (limit, cursor)' },
  nextCursor: nullable(string),
});

export const EFFECTIVE_DATES_SCHEMA = object({
  now: dateTime,
  nextCursor: nullable(string),
  items: array(
    object({
      documentId: string,
      service: string,
      documentType: string,
      version: { type: 'integer' },
      observedAt: dateTime,
      effectiveAt: nullable(dateTime),
      statedDates: array(statedDate),
      announcedInAdvance: { type: 'boolean' },
      upcoming: { type: 'boolean' },
      categories: array(string),
      exposure: { type: 'object' },
    }),
  ),
});

export const ANALYSIS_SCHEMA = object({
  provisionKey: string,
  asOf: nullable(dateTime),
  analysis: object({
    statement: string,
    quote: object({ text: string, truncated: { type: 'boolean' }, source: { type: 'object' } }),
    categories: array({ type: 'object' }),
    references: array(
      object({
        id: string,
        framework: string,
        instrument: string,
        article: string,
        title: string,
        url: string,
        rationale: string,
        primary: { type: 'boolean' },
      }),
    ),
    exposure: object({ level: exposureLevel, reasons: array(string) }),
    jurisdictions: array({ type: 'object' }),
    attributes: { type: 'object' },
    implications: array(string),
    considerations: array(string),
    history: array(
      object({ versionId: string, recordedAt: dateTime, change: string, summary: string }, [
        'recordedAt',
        'change',
      ]),
    ),
    comparables: array(
      object(
        {
          service: string,
          provisionId: string,
          heading: string,
          excerpt: string,
          exposure: string,
          similarity: { type: 'number' },
        },
        ['service'],
      ),
    ),
    disclaimer: string,
    taxonomyVersion: string,
    classifierVersion: string,
  }),
  mapping: object({
    taxonomyVersion: string,
    classifierVersion: string,
    categories: array({ type: 'object' }),
    references: array(reference),
    exposure: object({ level: exposureLevel, reasons: array(string) }),
    jurisdictions: array({ type: 'object' }),
  }),
});

export const GENERATIONS_SCHEMA = object({
  current: object({ generation: string, taxonomyVersion: string, classifierVersion: string }),
  building: nullable(object({ generation: string, taxonomyVersion: string, classifierVersion: string })),
  unmappedStreams: {
    type: 'integer',
    minimum: 0,
    description:
      "Streams the current generation's last backfill could not map (each is logged; its next event or the repair maps it)",
  },
  items: array(object({ generation: string, taxonomyVersion: string, classifierVersion: string })),
});

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } } });

/** A JSON answer and the problems every governance route can give. */
export const GovernanceResponses = (schema: SchemaObject, ...problems: Array<[number, string]>) =>
  applyDecorators(
    ApiResponse({ status: 200, content: { 'application/json': { schema } } }),
    problem(400, 'Unknown or malformed parameter, unknown category/framework/reference/taxonomy version'),
    problem(401, 'No or unknown API key'),
    problem(403, 'The key lacks the reader role'),
    ...(problems.some(([status]) => status === 404)
      ? []
      : [problem(404, 'No mapping under that taxonomy version (or no such document or provision)')]),
    ...(problems.some(([status]) => status === 422)
      ? []
      : [problem(422, 'A date before the first observation of what is asked about')]),
    ...problems.map(([status, description]) => problem(status, description)),
  );

const dateParam: SchemaObject = {
  anyOf: [
    { type: 'string', format: 'date' },
    { type: 'string', format: 'date-time' },
  ],
  example: '2026-03-01',
};

/** A comma-separated list of known ids, as the queries accept it (any unknown id is refused). */
const idList = (ids: readonly string[]): SchemaObject => {
  const one = `(?:${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})`;
  return { type: 'string', pattern: `^${one}(?:,${one})*$` };
};

/** One category id: the taxonomy's own list, so the document and the checks never disagree. */
export const CategoryQuery = (required: boolean, description?: string) =>
  ApiQuery({ name: 'category', required, schema: { type: 'string', enum: [...CATEGORY_IDS] }, description });
export const CategoryParam = () =>
  ApiParam({ name: 'category', schema: { type: 'string', enum: [...CATEGORY_IDS] } });
export const FrameworkParam = () =>
  ApiParam({ name: 'framework', schema: { type: 'string', enum: [...FRAMEWORK_IDS] }, example: 'gdpr' });

export const AsOfQuery = (required = false) =>
  ApiQuery({
    name: 'asOf',
    required,
    schema: dateParam,
    description: 'ISO 8601 date or date-time; a date means the end of that day',
  });
export const DateParam = () =>
  ApiParam({
    name: 'date',
    schema: dateParam,
    description: 'ISO 8601 date or date-time; a date means the end of that day',
  });
/** The two parameters that choose the generation answered (ADR 0037): each alone, or both. */
export const TaxonomyVersionQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'taxonomyVersion',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9.+-]{0,39}$', example: '2026.11.7' },
      description:
        'Answer with the mapping of that taxonomy version (its latest classifier; default: the generation ' +
        'answered by default, see GET /v1/governance/generations); 404 when never mapped',
    }),
    ApiQuery({
      name: 'classifierVersion',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9.+-]{0,39}$', example: '1.12.0' },
      description:
        'Answer with the mapping made by that classifier version (under the latest taxonomy mapped with it, or ' +
        'under taxonomyVersion when given): what the mapping was before an upgrade; 404 when never mapped',
    }),
  );
export const ProvisionKeyParam = () =>
  ApiParam({
    name: 'provisionKey',
    schema: {
      type: 'string',
      pattern: '^[a-z0-9-]+__[a-z0-9-]+:[a-z0-9-]+$',
      example: 'nimbus-notes__terms-of-service:3-disputes',
    },
    description: '<documentId>:<provisionId>',
  });
export const LimitQuery = () =>
  ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } });

/** The governance filters of a timeline. */
export const GovernanceFilterQueries = () =>
  applyDecorators(
    ApiQuery({
      name: 'category',
      required: false,
      schema: idList(CATEGORY_IDS),
      description: 'Category ids, comma-separated (any)',
    }),
    ApiQuery({
      name: 'framework',
      required: false,
      schema: idList(FRAMEWORK_IDS),
      description: 'Framework ids, comma-separated (any)',
    }),
    ApiQuery({
      name: 'reference',
      required: false,
      schema: idList(REFERENCES.map((reference) => reference.id)),
      description: 'Reference ids like gdpr/art-5-1-e (any)',
    }),
    ApiQuery({
      name: 'exposure',
      required: false,
      schema: { ...idList(EXPOSURE_LEVELS), example: 'high' },
      description: 'low, medium, high (comma-separated)',
    }),
    ApiQuery({
      name: 'materiality',
      required: false,
      schema: { ...idList(MATERIALITY_LEVELS), example: 'substantive' },
      description: 'none, cosmetic, minor, substantive (comma-separated)',
    }),
    ApiQuery({ name: 'service', required: false, schema: { type: 'string', minLength: 1 } }),
    ApiQuery({ name: 'documentType', required: false, schema: { type: 'string', minLength: 1 } }),
    ApiQuery({
      name: 'view',
      required: false,
      schema: { type: 'string', enum: ['governance'] },
      description: 'Governance items without any filter',
    }),
    TaxonomyVersionQuery(),
  );

export const AtomResponses = () =>
  applyDecorators(
    ApiProduces('application/atom+xml'),
    ApiResponse({
      status: 200,
      description: 'Atom feed (RFC 4287)',
      content: { 'application/atom+xml': { schema: { type: 'string' } } },
    }),
    problem(400, 'Unknown parameter or category'),
    problem(401, 'No or unknown API key'),
    problem(404, 'No such service or document'),
  );
