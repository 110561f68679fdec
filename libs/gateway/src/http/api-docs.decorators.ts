import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PARAMETERS, ref, SCHEMAS } from './openapi.schemas';
import { CATALOGUE_PAGE_LIMIT } from './paging';

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: a parameter or the body breaks its documented constraints',
  404: 'Not Found',
  409: 'Conflict: the fetch id was recorded with other content',
  408: 'Request Timeout: the body came too slowly (TERMLINE_MIN_BODY_BYTES_PER_SECOND); the connection is closed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type: send application/json',
  422: 'Unprocessable Content: the fetch event is invalid',
  429: 'Too Many Requests: as many as the service takes are already waiting; Retry-After says when to ask again',
  503: 'Service Unavailable',
};

/** The success answer of a route, with its JSON body schema (a component name). */
export const ApiAnswer = (status: number, schema: keyof typeof SCHEMAS, description = 'OK') =>
  ApiResponse({ status, description, content: { 'application/json': { schema: ref(schema) } } });

/** Problem answers (application/problem+json) a route gives besides 401, 403 and 500, which every route has. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: ref('Problem') } },
      }),
    ),
  );

/** A path parameter with the constraints the gateway enforces. */
export const ApiPathParam = (name: string, schema: keyof typeof PARAMETERS, description?: string) =>
  ApiParam({
    name,
    required: true,
    schema: PARAMETERS[schema],
    ...(description ? { description } : {}),
  });

/** An optional query parameter with the constraints the gateway enforces. */
export const ApiQueryParam = (name: string, schema: keyof typeof PARAMETERS, description?: string) =>
  ApiQuery({
    name,
    required: false,
    schema: PARAMETERS[schema] as SchemaObject,
    ...(description ? { description } : {}),
  });

/** limit and cursor of a paged list. */
export const ApiPaging = (cursor: 'versionCursor' | 'timelineCursor' = 'versionCursor') =>
  applyDecorators(ApiQueryParam('limit', 'limit'), ApiQueryParam('cursor', cursor));

/** limit and cursor of a catalogue list: the cursor is the last document id or service slug of the page before. */
export const ApiCataloguePaging = (cursor: 'documentId' | 'serviceCursor', description: string) =>
  applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      description: `${description} (default and most: ${CATALOGUE_PAGE_LIMIT})`,
      schema: { type: 'integer', minimum: 1, maximum: CATALOGUE_PAGE_LIMIT },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: 'The nextCursor of the page before',
      schema: PARAMETERS[cursor] as SchemaObject,
    }),
  );

/** from, to, limit, cursor and include of a timeline. */
export const ApiTimelineQuery = () =>
  applyDecorators(
    ApiQueryParam('from', 'instant', 'Changes at or after this instant'),
    ApiQueryParam('to', 'instant', 'Changes before this instant'),
    ApiPaging('timelineCursor'),
    ApiQueryParam('include', 'include'),
  );
