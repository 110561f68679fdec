import { DOCUMENT_EVENT_SCHEMA_VERSION } from './document.events';
import { upcastDocumentEvent } from './upcasters';

describe('upcasting stored document events', () => {
  it('reads a schema 1 FetchRecorded with its text and suppression unknown', () => {
    const event = upcastDocumentEvent({
      type: 'FetchRecorded',
      schemaVersion: 1,
      data: { documentId: 'a__terms', outcome: 'text-unchanged', failure: null },
    });
    expect(event.data).toEqual({
      documentId: 'a__terms',
      outcome: 'text-unchanged',
      failure: null,
      textSha256: null,
      suppressedBy: null,
    });
  });

  it('reads a schema 1 VersionRecorded as one whose rules fired are not known (none listed)', () => {
    const event = upcastDocumentEvent({ type: 'VersionRecorded', schemaVersion: 1, data: { version: 3 } });
    expect(event.data).toEqual({ version: 3, rulesFired: [], rulesNotApplied: [] });
  });

  it('reads a schema 2 VersionRecorded with its unknown filters moved from the rules fired to the rules not applied', () => {
    const event = upcastDocumentEvent({
      type: 'VersionRecorded',
      schemaVersion: 2,
      data: { version: 4, rulesFired: ['filter:removeQueryParamsFromLinks', 'filter-unknown:cleanUp'] },
    });
    expect(event.data).toEqual({
      version: 4,
      rulesFired: ['filter:removeQueryParamsFromLinks'],
      rulesNotApplied: ['filter:cleanUp'],
    });
    const fetch = { outcome: 'text-unchanged', failure: null, textSha256: 'x', suppressedBy: null };
    expect(upcastDocumentEvent({ type: 'FetchRecorded', schemaVersion: 2, data: fetch }).data).toEqual(fetch);
  });

  it('leaves an event of the current schema as it is', () => {
    const data = { version: 3, rulesFired: ['tracking-params-removed'] };
    expect(
      upcastDocumentEvent({ type: 'VersionRecorded', schemaVersion: DOCUMENT_EVENT_SCHEMA_VERSION, data })
        .data,
    ).toBe(data);
  });

  it('refuses an unknown type and a schema newer than this build', () => {
    expect(() => upcastDocumentEvent({ type: 'Nope', schemaVersion: 1, data: {} })).toThrow(
      /Unknown document event type/,
    );
    expect(() =>
      upcastDocumentEvent({
        type: 'FetchRecorded',
        schemaVersion: DOCUMENT_EVENT_SCHEMA_VERSION + 1,
        data: {},
      }),
    ).toThrow(/schema version/);
  });
});
