import type { OpenAPIObject } from '@nestjs/swagger';
import { allowedMethods, completeOpenApiDocument } from './openapi.document';

const documentWith = (paths: OpenAPIObject['paths']): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths,
  components: {},
});

describe('completeOpenApiDocument', () => {
  it('adds 401 and 403 to keyed routes only, 500 to every route, and keeps what a route declared', () => {
    const document = completeOpenApiDocument(
      documentWith({
        '/keyed': { get: { security: [{ bearer: [] }], responses: { '403': { description: 'own words' } } } },
        '/public': { get: { responses: { '200': { description: 'ok' } } } },
      }),
    );
    expect(Object.keys(document.paths['/keyed']!.get!.responses).sort()).toEqual(['401', '403', '500']);
    expect(document.paths['/keyed']!.get!.responses['403']).toEqual({ description: 'own words' });
    expect(Object.keys(document.paths['/public']!.get!.responses).sort()).toEqual(['200', '500']);
    expect(document.components!.securitySchemes!.bearer).not.toHaveProperty('bearerFormat');
    expect(document.components!.schemas).toHaveProperty('Problem');
  });
});

describe('allowedMethods', () => {
  const routes = allowedMethods(
    documentWith({
      '/v1/documents/{documentId}': { get: { responses: {} } },
      '/v1/fetches': { post: { responses: {} } },
      '/a.b': { get: { responses: {} }, delete: { responses: {} } },
    }),
  );
  const allowFor = (path: string) => routes.find((route) => route.path.test(path))?.allow;

  it('lists the documented methods, with HEAD beside GET', () => {
    expect(allowFor('/v1/documents/acme__terms')).toEqual(['GET', 'HEAD']);
    expect(allowFor('/v1/fetches')).toEqual(['POST']);
    expect(allowFor('/a.b')).toEqual(['GET', 'DELETE', 'HEAD']);
  });

  it('matches a path parameter within one segment, and literal dots only', () => {
    expect(allowFor('/v1/documents/acme__terms/versions')).toBeUndefined();
    expect(allowFor('/v1/documents/')).toBeUndefined();
    expect(allowFor('/aXb')).toBeUndefined();
    expect(allowFor('/v1/fetches/')).toEqual(['POST']);
  });
});
