import { versionFingerprint } from './text-engine.extractor';

describe('version fingerprint', () => {
  const text = (target: string, words = 'Privacy Settings') => `# Privacy\n\nManage your data in your [${words}](${target}).\n`;

  it('is the same when only link targets changed', () => {
    expect(versionFingerprint(text('https://claude.ai/redirect/website.v1.3f76-aa/settings/privacy'))).toBe(
      versionFingerprint(text('https://claude.ai/redirect/website.v1.c565-bb/settings/privacy')),
    );
    expect(versionFingerprint(text('https://x.example/a_(b)'))).toBe(versionFingerprint(text('https://x.example/c')));
  });

  it('differs when the words changed, link text included', () => {
    expect(versionFingerprint(text('https://x.example'))).not.toBe(versionFingerprint(text('https://x.example', 'Data Controls')));
    expect(versionFingerprint('We keep data for 30 days.')).not.toBe(versionFingerprint('We keep data for 90 days.'));
  });

  it('ignores whitespace differences', () => {
    expect(versionFingerprint('A  clause.\n\n\nB clause.')).toBe(versionFingerprint('A clause.\n\nB clause.'));
  });
});
