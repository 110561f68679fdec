import type { OpenAPIObject } from '@nestjs/swagger';
import type { ResponsesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ref, SCHEMAS } from './openapi.schemas';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

/**
 * Completes the document Nest builds from the decorators with what holds for every route: the schemas, the bearer
 * scheme (opaque keys, not JWTs), 401 and 403 on every route that needs a key, 500 everywhere. Routes that do not
 * use the decorators (added later, elsewhere) still get these.
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...SCHEMAS, ...document.components?.schemas },
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          'An opaque API key, sent as "Authorization: Bearer <key>"; keys are compared by their sha256',
      },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses: ResponsesObject = operation.responses ?? {};
      if ((operation.security ?? []).length > 0) {
        responses['401'] ??= problem('Unauthorized: no API key, or an unknown one');
        responses['403'] ??= problem("Forbidden: the key's role does not grant this route");
      }
      responses['500'] ??= problem('Internal Server Error: a bug, logged in full');
      operation.responses = responses;
    }
  }
  return document;
}

/** The methods each documented path answers, for 405 and its Allow header. */
export function allowedMethods(document: OpenAPIObject): Array<{ path: RegExp; allow: string[] }> {
  return Object.entries(document.paths).map(([path, item]) => {
    const allow = METHODS.filter((method) => item[method] !== undefined).map((method) =>
      method.toUpperCase(),
    );
    // Express answers HEAD with the GET route.
    if (allow.includes('GET') && !allow.includes('HEAD')) allow.push('HEAD');
    const source = path
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return { path: new RegExp(`^${source}/?$`), allow };
  });
}
