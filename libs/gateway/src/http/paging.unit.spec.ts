import {
  parseInstant,
  parseLimit,
  parsePositiveInt,
  parseTimelineCursor,
  parseVersionCursor,
  timelineCursorOf,
  versionCursorOf,
} from './paging';

const refusal = (parse: () => unknown): unknown => {
  try {
    parse();
  } catch (error) {
    return (error as { getStatus(): number }).getStatus();
  }
  return 'accepted';
};

describe('strict query values', () => {
  it.each(['0x10', '1e2', ' 5', '5 ', '5.0', '+5', '-1', '0', '201', '', '0010000'])(
    'refuses limit=%j',
    (raw) => {
      expect(refusal(() => parseLimit(raw))).toBe(400);
    },
  );

  it('takes plain decimal limits from 1 to 200', () => {
    expect([parseLimit('1'), parseLimit('200'), parseLimit('050'), parseLimit(undefined)]).toEqual([
      1, 200, 50, 50,
    ]);
  });

  it.each(['1e2', '0x10', '1.0', '0', '-3', '1234567890'])('refuses the positive integer %j', (raw) => {
    expect(refusal(() => parsePositiveInt('version', raw))).toBe(400);
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-03-01T24:00:00Z',
    '2026-03-01T10:60:00Z',
    '2026-03-01T10:00:60Z',
    '2026-03-01T10:00:00',
    '2026-03-01T10:00:00+24:00',
    '2026-3-1',
    'yesterday',
    '1e12',
  ])('refuses the instant %j instead of rolling it over', (raw) => {
    expect(refusal(() => parseInstant('from', raw))).toBe(400);
  });

  it.each([
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-03-01T12:00:00+02:00', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01t10:00z', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01T10:00:00.123456789-00:30', '2026-03-01T10:30:00.123Z'],
    ['0050-06-01', '0050-06-01T00:00:00.000Z'],
  ])('reads %j as %s', (raw, instant) => {
    expect(parseInstant('from', raw)).toBe(instant);
  });
});

describe('cursors', () => {
  it('reads back the cursors it writes', () => {
    expect(parseVersionCursor(versionCursorOf(42))).toBe(42);
    const at = '2026-03-01T10:00:00.000Z';
    expect(parseTimelineCursor(timelineCursorOf(at, 'acme__terms:000002'))).toEqual({
      at,
      entryId: 'acme__terms:000002',
    });
  });

  it.each(['0', '-1', '1.5', 'eyJ2IjotMX0', '1e3', ''])('refuses the version cursor %j', (raw) => {
    expect(refusal(() => parseVersionCursor(raw))).toBe(400);
  });

  it.each([
    '2026-03-01T10:00:00.000Z',
    '2026-03-01T10:00:00Z~a',
    '2026-13-01T10:00:00.000Z~a',
    'x~a',
    '2026-03-01T10:00:00.000Z~a b',
  ])('refuses the timeline cursor %j', (raw) => {
    expect(refusal(() => parseTimelineCursor(raw))).toBe(400);
  });
});
