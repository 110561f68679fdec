import { createHash } from 'node:crypto';
import { wordCount } from '@termline/domain';
import { versionComparison, versionIdentity } from './version-identity';

describe('versionIdentity', () => {
  const text =
    '# Terms\n\nUpdated 2 days ago. We keep [your data](https://x.example/a?t=9) for 30 days — é𝄞 ok.';

  it('gives the hash of the UTF-8 bytes, the version fingerprint and the word count of one text', () => {
    const identity = versionIdentity(text, ['relative-times']);
    expect(identity.textSha256).toBe(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
    expect({ fingerprint: identity.fingerprint, masks: identity.masks }).toEqual(
      versionComparison(text, ['relative-times']),
    );
    expect(identity.words).toBe(wordCount(text));
    expect(identity.words).toBe(20);
  });

  it('is the same version for texts that differ only in a masked part, and another for a changed word', () => {
    const moved = text.replace('a?t=9', 'b?t=10').replace('2 days', '5 days');
    expect(versionIdentity(moved, ['relative-times']).fingerprint).toBe(
      versionIdentity(text, ['relative-times']).fingerprint,
    );
    expect(versionIdentity(moved, ['relative-times']).textSha256).not.toBe(
      versionIdentity(text, ['relative-times']).textSha256,
    );
    expect(versionIdentity(text.replace('30 days', '90 days')).fingerprint).not.toBe(
      versionIdentity(text).fingerprint,
    );
  });
});
