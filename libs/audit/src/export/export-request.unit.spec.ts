import { parseExportRequest } from './export-request';

describe('parseExportRequest', () => {
  it('reads a document, a service or the whole collection, with an optional range', () => {
    expect(
      parseExportRequest({
        document: 'acme__terms-of-service',
        from: '2026-01-01',
        to: '2026-01-31',
        snapshots: true,
      }),
    ).toEqual({
      format: 'bundle',
      request: {
        scope: { kind: 'document', documentId: 'acme__terms-of-service' },
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-31T23:59:59.999Z',
        includeSnapshots: true,
      },
    });
    expect(parseExportRequest({ service: 'acme', format: 'csv' })).toMatchObject({
      format: 'csv',
      request: { scope: { kind: 'service', service: 'acme' } },
    });
    expect(parseExportRequest({})).toMatchObject({
      request: { scope: { kind: 'collection' }, from: null, to: null, includeSnapshots: false },
    });
  });

  it('lists every problem at once', () => {
    expect(
      parseExportRequest({
        document: 'x',
        service: 'a__b',
        from: 'yesterday',
        to: 5,
        format: 'zip',
        snapshots: 'yes',
      }),
    ).toEqual({
      errors: [
        'document must be a document id (<service>__<type>), got "x"',
        'service must be a service slug, got "a__b"',
        'give a document or a service, not both',
        'from must be an ISO 8601 date or instant, got "yesterday"',
        'to must be a non-empty string',
        'format must be one of bundle, ndjson, csv, got "zip"',
        'snapshots must be true or false',
      ],
    });
    expect(parseExportRequest({ from: '2026-02-01', to: '2026-01-01' })).toEqual({
      errors: ['from is after to'],
    });
  });
});
