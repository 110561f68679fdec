import { decodeFetchEvent } from './fetch-event';

const now = new Date('2026-03-01T12:00:00.000Z');
const valid = {
  fetchId: 'acme-terms-2026-03-01',
  service: 'Acme Cloud',
  documentType: 'Terms of Service',
  sourceUrl: 'https://acme.example/terms',
  fetchedAt: '2026-03-01T10:00:00Z',
  mimeType: 'text/html',
  content: '<p>Hello</p>',
};

describe('fetch event contract v1', () => {
  it('decodes a valid event and normalises its date', () => {
    const { event, body } = decodeFetchEvent(valid, now);
    expect(event).toMatchObject({
      fetchId: valid.fetchId,
      sourcePart: null,
      fetchedAt: '2026-03-01T10:00:00.000Z',
      httpStatus: null,
    });
    expect(body.toString()).toBe('<p>Hello</p>');
  });

  it('decodes base64 content to bytes', () => {
    const { body } = decodeFetchEvent(
      { ...valid, mimeType: 'application/pdf', encoding: 'base64', content: 'JVBERi0=' },
      now,
    );
    expect(body.toString('latin1')).toBe('%PDF-');
  });

  it.each([
    [{ ...valid, fetchId: undefined }, /fetchId/],
    [{ ...valid, service: 42 }, /service must be a string/],
    [{ ...valid, mimeType: 'image/png' }, /mimeType must be one of/],
    [{ ...valid, encoding: 'base64', content: 'not base64!!' }, /content is not valid base64/],
    [{ ...valid, encoding: 'gzip' }, /encoding/],
    [{ ...valid, fetchedAt: 'yesterday' }, /fetchedAt must be an ISO 8601/],
    [{ ...valid, fetchedAt: '2026-03-01' }, /with a time zone/],
    [{ ...valid, fetchedAt: '2026-03-02T10:00:00Z' }, /in the future/],
    [{ ...valid, sourceUrl: 'ftp://acme.example/terms' }, /sourceUrl/],
    [{ ...valid, httpStatus: 99 }, /httpStatus/],
    [{ ...valid, commit: 'abc' }, /property commit should not exist/],
  ])('refuses %j with a precise reason', (raw, reason) => {
    expect(() => decodeFetchEvent(raw, now)).toThrow(reason);
    try {
      decodeFetchEvent(raw, now);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid-fetch' });
    }
  });

  it('refuses non-objects', () => {
    expect(() => decodeFetchEvent([valid], now)).toThrow(/JSON object/);
    expect(() => decodeFetchEvent(null, now)).toThrow(/JSON object/);
  });

  it('refuses content over the size limit with its own code', () => {
    expect(() =>
      decodeFetchEvent({ ...valid, content: 'x'.repeat(101) }, now, { maxContentBytes: 100, clockSkewMs: 0 }),
    ).toThrow(expect.objectContaining({ code: 'content-too-large' }));
  });
});
