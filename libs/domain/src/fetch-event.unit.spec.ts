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

describe('fetch event contract v1 under hostile input', () => {
  const refusal = (raw: unknown): unknown => {
    try {
      decodeFetchEvent(raw, now);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it.each([
    ['missing', { ...valid, content: undefined }],
    ['null', { ...valid, content: null }],
    ['a number', { ...valid, content: 42 }],
    ['an object', { ...valid, content: { a: 1 } }],
    ['an array of strings', { ...valid, content: ['a'] }],
  ])('refuses content that is %s as an invalid fetch, never as a crash or a 0x00 byte', (_what, raw) => {
    expect(refusal(raw)).toMatchObject({ code: 'invalid-fetch', message: expect.stringMatching(/content/) });
  });

  it('refuses an array of strings as content even when it claims base64', () => {
    expect(refusal({ ...valid, encoding: 'base64', content: ['JVBERi0='] })).toMatchObject({
      code: 'invalid-fetch',
    });
  });

  it('refuses deeply nested values without walking them', () => {
    let nested: unknown = 'leaf';
    for (let depth = 0; depth < 10_000; depth += 1) nested = { nested };
    expect(refusal({ ...valid, fetcher: nested })).toMatchObject({
      code: 'invalid-fetch',
      message: expect.stringMatching(/fetcher must not be an object/),
    });
  });

  it.each(['__proto__', 'constructor', 'prototype', 'toString'])('refuses the unknown field %s', (key) => {
    const raw = JSON.parse(`{"${key}": {"polluted": true}, "content": "x"}`) as Record<string, unknown>;
    Object.assign(raw, { ...valid });
    expect(refusal(raw)).toMatchObject({
      code: 'invalid-fetch',
      message: expect.stringContaining(`property ${key} should not exist`),
    });
  });

  it.each(['YQ', 'YWJ', 'Y', 'YQ=', 'YWJj=', '=YWJj', 'YW=j'])(
    'refuses base64 of the wrong length or padding: %s',
    (content) => {
      expect(refusal({ ...valid, encoding: 'base64', content })).toMatchObject({
        code: 'invalid-fetch',
        message: expect.stringMatching(/content is not valid base64/),
      });
    },
  );

  it('accepts base64 split into lines and with padding', () => {
    const { body } = decodeFetchEvent({ ...valid, encoding: 'base64', content: 'YWJj\r\nZGU=\n' }, now);
    expect(body.toString('latin1')).toBe('abcde');
  });

  it('refuses an unpaired surrogate, which would be archived as other bytes than those sent', () => {
    expect(refusal({ ...valid, content: 'before \ud800 after' })).toMatchObject({
      code: 'invalid-fetch',
      message: expect.stringMatching(/content has an unpaired UTF-16 surrogate/),
    });
    expect(decodeFetchEvent({ ...valid, content: 'emoji \ud83d\ude00' }, now).body.toString('utf8')).toBe(
      'emoji 😀',
    );
  });

  it.each([
    ['a right-to-left override', 'Acme\u202eCloud'],
    ['a zero-width space', 'Acme\u200bCloud'],
    ['a zero-width joiner', 'Acme\u200dCloud'],
    ['a first strong isolate', 'Acme\u2068Cloud'],
    ['a C1 control', 'Acme\u0085Cloud'],
    ['a byte order mark', '\ufeffAcme'],
    ['a soft hyphen', 'Ac\u00adme'],
  ])('refuses service and document type names with %s', (_what, name) => {
    expect(refusal({ ...valid, service: name })).toMatchObject({
      code: 'invalid-fetch',
      message: expect.stringMatching(/service has control, invisible/),
    });
    expect(refusal({ ...valid, documentType: name })).toMatchObject({
      code: 'invalid-fetch',
      message: expect.stringMatching(/documentType has control/),
    });
  });

  it.each([
    ['whitespace only', '   '],
    ['emoji only', '😀😀'],
    ['punctuation only', '!!!'],
  ])('refuses a name that is %s: its slug, and so its document id, would be empty', (_what, name) => {
    expect(refusal({ ...valid, service: name })).toMatchObject({
      code: 'invalid-fetch',
      message: expect.stringMatching(/service .*no ASCII letter or digit/),
    });
    expect(refusal({ ...valid, documentType: name })).toMatchObject({
      code: 'invalid-fetch',
      message: expect.stringMatching(/documentType .*no ASCII letter or digit/),
    });
  });

  it('keeps accepting names in other scripts that still slug to something, and accented Latin', () => {
    expect(decodeFetchEvent({ ...valid, service: 'Société Générale 2' }, now).event.service).toBe(
      'Société Générale 2',
    );
  });
});

describe('fetch event source URLs', () => {
  it.each(['https://acme.example/terms?lang=en#top', 'http://localhost:8080/a', 'https://a-b.example'])(
    'accepts %s',
    (sourceUrl) => {
      expect(decodeFetchEvent({ ...valid, sourceUrl }, now).event.sourceUrl).toBe(sourceUrl);
    },
  );

  it.each([
    'https://acme.example:99999/',
    'http://1/',
    'https://-a.example/',
    'https://acme.example/a b',
    'javascript:alert(1)',
  ])('refuses %s', (sourceUrl) => {
    expect(() => decodeFetchEvent({ ...valid, sourceUrl }, now)).toThrow(/sourceUrl/);
  });
});
