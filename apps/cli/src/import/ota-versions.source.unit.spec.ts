import { fetchEventOfVersion, parseCommitMessage } from './ota-versions.source';

const fetch = {
  fetchId: 'pga:abc:Acme/Terms of Service.md',
  service: 'Acme',
  documentType: 'Terms of Service',
  path: 'Acme/Terms of Service.md',
  commit: 'abc1234',
  fetchedAt: '2026-01-01T00:00:00Z',
  blob: 'b'.repeat(40),
};

describe('OTA versions commits', () => {
  it('reads the snapshots a version came from and the engine version from the message', () => {
    const message = `Record new changes of Acme Terms of Service

This version was recorded after extracting from and assembling the following snapshots from 2 source documents:
- https://github.com/OpenTermsArchive/pga-snapshots/commit/ca42ee66a754f8ce5ae9b0a5bc03007d37e757a3
- https://github.com/OpenTermsArchive/pga-snapshots/commit/76998b3cbd209a577bb6084960dc37a5a153a387

X-engine-version: 14.1.0
`;
    expect(parseCommitMessage(message)).toEqual({
      snapshotUrls: [
        'https://github.com/OpenTermsArchive/pga-snapshots/commit/ca42ee66a754f8ce5ae9b0a5bc03007d37e757a3',
        'https://github.com/OpenTermsArchive/pga-snapshots/commit/76998b3cbd209a577bb6084960dc37a5a153a387',
      ],
      engineVersion: '14.1.0',
    });
    expect(parseCommitMessage('Init')).toEqual({ snapshotUrls: [], engineVersion: null });
  });

  it('makes a fetch dated at the commit, sourced from the snapshot when named, else from the file', () => {
    const content = Buffer.from('# Terms\n\nWe keep data.', 'utf8');
    const named = fetchEventOfVersion(
      fetch,
      { snapshotUrls: ['https://x.example/commit/abc1234'], engineVersion: '9.0.0' },
      content,
      'https://versions.example',
    );
    expect(named).toMatchObject({
      fetchId: fetch.fetchId,
      fetchedAt: '2026-01-01T00:00:00Z',
      sourceUrl: 'https://x.example/commit/abc1234',
      fetcher: 'ota-engine-9.0.0 (versions import)',
      mimeType: 'text/markdown',
      content: '# Terms\n\nWe keep data.',
    });
    expect(fetchEventOfVersion(fetch, undefined, content, 'https://versions.example').sourceUrl).toBe(
      'https://versions.example/blob/abc1234/Acme/Terms%20of%20Service.md',
    );
  });
});
