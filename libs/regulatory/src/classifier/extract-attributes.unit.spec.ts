import { extractAttributes } from '@termline/regulatory';

// Sentences written for this spec, one or two facts each.
describe('extractAttributes', () => {
  it('reads retention and notice periods, in days', () => {
    const a = extractAttributes(
      'We delete chats within 30 days. We will give you at least fourteen days notice before changes take effect.',
    );
    expect(a.retentionPeriods).toEqual([{ text: '30 days', value: 30, unit: 'day', days: 30 }]);
    expect(a.noticePeriods.map((p) => p.days)).toEqual([14]);
    expect(extractAttributes('Logs are retained for 2 years.').retentionPeriods[0]!.days).toBe(730);
  });

  it('reads age thresholds, opt-outs, licence terms and ownership claims', () => {
    const a = extractAttributes(
      'Users under 13 may not register; users under the age of 18 need consent. You can opt out in settings or ' +
        'unsubscribe. You grant us a worldwide, royalty-free, irrevocable licence. You own your outputs and content. ' +
        'Aggregated data is the sole property of the Company.',
    );
    expect(a.ageThresholds).toEqual([13, 18]);
    expect(a.optOuts).toEqual(['opt out', 'unsubscribe']);
    expect(a.licenceTerms).toEqual(['worldwide', 'royalty-free', 'irrevocable']);
    expect(a.ownershipClaims.map((c) => c.holder)).toEqual(['user', 'provider']);
    expect(a.ownershipClaims[0]!.text).toMatch(/^You own your outputs/);
  });

  it('reads the actual-knowledge statement and the audience excluded in their other words (1.11.2)', () => {
    const flags = (text: string) => extractAttributes(text).flags;
    for (const text of [
      'We do not intentionally collect personal information from children under 13.',
      'We never deliberately collect data about children.',
    ])
      expect(flags(text)).toEqual(expect.arrayContaining(['knowing-collection', 'age-requirement']));
    expect(flags('The app is not targeted to children under 13.')).toContain('age-requirement');
    expect(flags('Our ads are targeted to adults.')).not.toContain('age-requirement');
  });

  it('reads parties, effective dates, regions and transfer mechanisms', () => {
    const a = extractAttributes(
      'These terms are between you and Example Labs, Inc. and are effective as of March 5, 2026. Residents of ' +
        'California and of the European Economic Area: transfers rely on standard contractual clauses.',
    );
    expect(a.parties).toEqual(['Example Labs Inc.']);
    expect(a.effectiveDates).toEqual(['2026-03-05']);
    expect(a.regions).toEqual(expect.arrayContaining(['eu-eea', 'us-california']));
    expect(a.transferMechanisms).toEqual(['standard-contractual-clauses']);
  });

  it('reads parties whose suffix has one-letter parts or opens no word with its letters', () => {
    // Before: a word-start prefilter of "inc", "ltd", "limited"… never let these reach the pattern.
    expect(extractAttributes('The controller is Example Europe S.A., Luxembourg.').parties).toEqual([
      'Example Europe S.A.',
    ]);
    expect(extractAttributes('Services are provided by Example Holdings B.V.').parties).toEqual([
      'Example Holdings B.V.',
    ]);
    expect(extractAttributes('You contract with Example International Unlimited Company.').parties).toEqual([
      'Example International Unlimited Company',
    ]);
    // Every suffix the pattern knows passes the prefilter (one list serves both).
    for (const suffix of ['Inc.', 'LLC', 'L.L.C.', 'Ltd', 'GmbH', 'PBC', 'Corp.', 'Corporation'])
      expect(
        extractAttributes(`These terms are between you and Example ${suffix} and its affiliates.`).parties,
      ).toEqual([`Example ${suffix}`]);
    // The pattern is case-sensitive: "limited" in prose names no party.
    expect(extractAttributes('Our liability is limited to the fees you paid.').parties).toEqual([]);
  });

  it('sets flags from phrases, case-insensitively', () => {
    const a = extractAttributes(
      'WE MAY SUSPEND YOUR ACCOUNT WITHOUT NOTICE. We will notify you of a personal data breach without delay.',
    );
    expect(a.flags).toEqual(expect.arrayContaining(['suspension', 'no-notice', 'breach-notification']));
    expect(extractAttributes('We retain data for 30 days.').flags).not.toContain('no-notice');
  });

  it('finds the same facts when lower-casing changes the length of the text', () => {
    // "İ" lower-cases to two code units: offsets of the lower-cased text are not the text's.
    const a = extractAttributes('İstanbul office. You own your content. We delete logs after 90 days.');
    expect(a.ownershipClaims[0]!.text).toMatch(/^You own your content/i);
    expect(a.retentionPeriods.map((p) => p.days)).toEqual([90]);
  });
});
