import { decodeFetchEvent, DomainError } from '@termline/domain';
import {
  commitOfFetchId,
  fetchEventOfRecord,
  parseSnapshotRecord,
  RecordError,
  type SnapshotRecord,
} from './snapshot-record';

const record = (overrides: Partial<SnapshotRecord> = {}): SnapshotRecord => ({
  service: 'Nimbus Notes',
  documentType: 'Terms of Service',
  sourcePart: null,
  sourceUrl: 'https://nimbus.example/terms',
  fetcher: 'htmlOnly',
  fetchedAt: '2026-01-02T03:04:05Z',
  commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  mimeType: 'text/html',
  content: '<main><h1>Terms</h1><p>Be nice.</p></main>',
  ...overrides,
});
const NOW = new Date('2026-06-01T00:00:00Z');

describe('record -> fetch event', () => {
  it('makes the commit the fetch id and passes the fetch fields through', () => {
    const event = fetchEventOfRecord(record({ sourcePart: 'terms' }));
    expect(event).toEqual({
      fetchId: 'ota-snapshot:a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      service: 'Nimbus Notes',
      documentType: 'Terms of Service',
      sourcePart: 'terms',
      sourceUrl: 'https://nimbus.example/terms',
      fetcher: 'htmlOnly',
      fetchedAt: '2026-01-02T03:04:05Z',
      mimeType: 'text/html',
      content: '<main><h1>Terms</h1><p>Be nice.</p></main>',
    });
    expect(commitOfFetchId(event.fetchId as string)).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
  });

  it('passes the fetch contract, keeping the exact bytes of a base64 record', () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);
    const decoded = decodeFetchEvent(
      fetchEventOfRecord(
        record({ mimeType: 'application/pdf', encoding: 'base64', content: pdf.toString('base64') }),
      ),
      NOW,
    );
    expect(decoded.body.equals(pdf)).toBe(true);
    expect(decoded.event).toMatchObject({
      fetchId: 'ota-snapshot:a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      sourcePart: null,
    });
  });

  it('leaves the verdict on a bad record to the contract, with its reason', () => {
    const bad = fetchEventOfRecord(record({ sourceUrl: 'ftp://nimbus.example/terms' }));
    expect(() => decodeFetchEvent(bad, NOW)).toThrow(DomainError);
    expect(() => decodeFetchEvent(bad, NOW)).toThrow(/sourceUrl must be an http\(s\) URL/);
  });

  it('parses a line, and refuses what is not a record with a code', () => {
    expect(parseSnapshotRecord(JSON.stringify(record())).commit).toBe(
      'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    );
    const refusal = (line: string) => {
      try {
        parseSnapshotRecord(line);
      } catch (error) {
        return (error as RecordError).code;
      }
      return null;
    };
    expect(refusal('{"service": ')).toBe('malformed-json');
    expect(refusal('[1,2]')).toBe('not-a-record');
    expect(refusal(JSON.stringify({ ...record(), commit: 'not hex' }))).toBe('not-a-record');
  });
});
