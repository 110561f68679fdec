import { referencesForCategories, type CategoryId, type ClassifyInput } from '@termline/regulatory';

/**
 * Which references the taxonomy puts first (`references` of `POST /v1/classify`) for a class of provision. The
 * categories are given (`referencesForCategories`), so these specs test the mapping alone, not the category cues;
 * the texts are written for this spec.
 */
const primaryOf = (input: ClassifyInput, categories: readonly CategoryId[]) =>
  referencesForCategories(input, categories)
    .filter((r) => r.primary)
    .map((r) => r.id);
const frameworksOf = (ids: readonly string[]) => [...new Set(ids.map((id) => id.split('/')[0]))];

describe('reference selection', () => {
  it('cites storage limitation and the notice duty for a plain retention clause, and no CCPA', () => {
    const primary = primaryOf(
      {
        text: 'We keep your account data while your account is open and delete it within 30 days after you close it.',
      },
      ['retention'],
    );
    expect(primary).toEqual(expect.arrayContaining(['gdpr/art-5-1-e', 'gdpr/art-13']));
    expect(frameworksOf(primary)).toEqual(['gdpr']);
  });

  it('cites CCPA 1798.120 for a California sale or sharing clause, and not the GDPR', () => {
    const text =
      'California residents may opt out of the sale or sharing of their personal information for cross-context ' +
      'behavioral advertising by using the "Do Not Sell or Share" link.';
    const primary = primaryOf({ text }, ['sale-or-sharing']);
    expect(primary).toEqual(expect.arrayContaining(['ccpa/1798-120', 'ccpa/1798-135']));
    expect(frameworksOf(primary)).toEqual(['ccpa']);
  });

  it('makes the defining article of a further category primary (transfers beside sub-processors)', () => {
    const text = 'Our subprocessors, listed with their locations, process customer data on our behalf.';
    const alone = primaryOf({ text }, ['sub-processors']);
    const withTransfers = primaryOf({ text }, ['sub-processors', 'international-transfers']);
    expect(alone).not.toContain('gdpr/art-44');
    expect(withTransfers).toEqual(expect.arrayContaining(['gdpr/art-28', 'gdpr/art-44']));
  });

  it('cites the CCPA for a further sale category only where the text speaks of selling and sharing', () => {
    const plain = primaryOf({ text: 'We use analytics cookies. We do not sell your personal data.' }, [
      'cookies-trackers',
      'sale-or-sharing',
    ]);
    const ccpa = primaryOf(
      {
        text: 'We use advertising cookies. You can opt out of the sale or sharing of your data for advertising.',
      },
      ['cookies-trackers', 'sale-or-sharing'],
    );
    expect(plain).toContain('eprivacy/art-5-3');
    expect(plain).not.toContain('ccpa/1798-120');
    expect(ccpa).toEqual(expect.arrayContaining(['eprivacy/art-5-3', 'ccpa/1798-120']));
  });

  it('keeps contract-law articles of a further liability category out of a privacy clause', () => {
    const primary = primaryOf(
      {
        text: 'We use encryption and access controls to protect your data, but no method of transmission is completely secure and we are not responsible for unauthorised access.',
      },
      ['security-breach', 'liability-limits'],
    );
    expect(primary).toContain('gdpr/art-32');
    expect(frameworksOf(primary)).toEqual(['gdpr']);
  });

  it('cites GDPR Art. 8 for an EU minimum age and COPPA only for a US under-13 statement', () => {
    const eu = primaryOf(
      {
        text: 'You must be at least 16 years old, or the age of digital consent in your EU country, to use the service. Younger users need the permission of a parent.',
      },
      ['children'],
    );
    const us = primaryOf(
      {
        text: 'Our service is not directed to children under 13 in the United States, and we do not knowingly collect personal information from them.',
      },
      ['children'],
    );
    expect(eu).toContain('gdpr/art-8');
    expect(eu).not.toContain('coppa/312-5');
    expect(us).toContain('coppa/312-5');
  });

  it('cites DSA Art. 14 for a notice of changes in consumer terms, not in a privacy policy', () => {
    const text =
      'We may update these terms from time to time. We will notify you of material changes 30 days in advance.';
    expect(primaryOf({ text, documentType: 'Terms of Service' }, ['unilateral-changes'])).toEqual(
      expect.arrayContaining(['uctd/annex-1-j', 'dsa/art-14']),
    );
    expect(primaryOf({ text, documentType: 'Privacy Policy' }, ['unilateral-changes'])).not.toContain(
      'dsa/art-14',
    );
  });

  it('adds the processor duty (Art. 28) to retention in a data processing agreement', () => {
    const text =
      'On termination of the agreement, the processor will delete or return all customer personal data.';
    expect(primaryOf({ text, documentType: 'Data Processor Agreement' }, ['retention'])).toEqual(
      expect.arrayContaining(['gdpr/art-5-1-e', 'gdpr/art-28']),
    );
    const own = 'When you close your account we delete your personal data within 30 days.';
    expect(primaryOf({ text: own, documentType: 'Privacy Policy' }, ['retention'])).not.toContain(
      'gdpr/art-28',
    );
  });

  it('cites the DSA article a moderation clause engages: reporting, removal, appeal', () => {
    // Art. 14 always: a moderation clause is the information on moderation the terms must give.
    expect(
      primaryOf({ text: 'You can report content that breaks these rules using the in-app form.' }, [
        'content-moderation-appeals',
      ]),
      // Out-of-court settlement (Art. 21) joins as the DSA's further article for moderation (1.12.0).
    ).toEqual(['dsa/art-16', 'dsa/art-14', 'dsa/art-21']);
    expect(
      primaryOf(
        {
          text: 'We may remove content that violates our policies; you can appeal the decision within 6 months.',
        },
        ['content-moderation-appeals'],
      ),
    ).toEqual(expect.arrayContaining(['dsa/art-17', 'dsa/art-20']));
  });

  it('concludes a framework whole: its further articles join, after the rules own primary ones (1.12.0)', () => {
    const text = 'We collect your name, email address and the messages you send us.';
    const all = referencesForCategories({ text }, ['personal-data-collection']);
    const primary = all.filter((r) => r.primary).map((r) => r.id);
    // The rules conclude the lawful basis and the information duty; the definition of personal data, minimisation
    // and the right to object are GDPR articles of the same category, and join them.
    expect(primary.slice(0, 2)).toEqual(['gdpr/art-6', 'gdpr/art-13']);
    expect(primary).toEqual(expect.arrayContaining(['gdpr/art-4-1', 'gdpr/art-5-1-c', 'gdpr/art-21']));
    // Purpose limitation is concluded for a collection only when model training is among the purposes.
    expect(primary).not.toContain('gdpr/art-5-1-b');
    const training = 'We collect your messages and use them to train our models.';
    expect(primaryOf({ text: training }, ['personal-data-collection'])).toContain('gdpr/art-5-1-b');
    // What stays secondary: a framework not concluded (the CCPA, for a text that never speaks to California), and
    // an article a rule concludes only on a fact that does not hold (training, not among the purposes here).
    const secondary = all.filter((r) => !r.primary).map((r) => r.id);
    expect(secondary).toEqual(['ccpa/1798-100', 'gdpr/art-5-1-b']);
    expect(new Set(all.filter((r) => r.primary).map((r) => r.framework))).toEqual(new Set(['gdpr']));
  });

  it('cites nothing for none', () => {
    expect(referencesForCategories({ text: 'Contact us at privacy@example.com.' }, ['none'])).toEqual([]);
  });
});
