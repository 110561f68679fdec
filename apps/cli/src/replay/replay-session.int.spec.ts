import { loadConfig } from '@termline/config';
import { openInfrastructure, topicsFor } from '@termline/platform';
import { tempDir, type TempDir } from '@termline/testing';
import { openReplaySession } from './replay-session';

/** A fetch the gateway accepted into the store's own message log, not yet recorded by a versioning consumer. */
const pendingFetch = {
  fetchId: 'pending-fetch-1',
  service: 'Acme Cloud',
  documentType: 'Terms of Service',
  sourceUrl: 'https://acme.example/terms',
  fetchedAt: '2026-03-01T10:00:00Z',
  fetcher: 'htmlOnly',
  mimeType: 'text/html',
  content: '<html><body><main><h1>Terms</h1><p>We keep your data for 30 days.</p></main></body></html>',
  httpStatus: 200,
};

describe('replay session (embedded store, the versioning library without a consumer)', () => {
  let dir: TempDir;

  beforeEach(() => {
    dir = tempDir('termline-replay-session-');
  });
  afterEach(() => dir.remove());

  it('leaves the pending fetch messages of the store alone: only the commands it sends are recorded', async () => {
    const config = loadConfig({ TERMLINE_DATA_DIR: dir.path, TERMLINE_DEMO: 'false' });
    const infrastructure = await openInfrastructure('embedded', config);
    const { fetches } = topicsFor(config);
    await infrastructure.bus.ensureTopics([fetches]);
    await infrastructure.bus.publish(fetches, [{ key: 'acme-cloud', value: JSON.stringify(pendingFetch) }]);
    await infrastructure.close();

    const session = await openReplaySession({ dataDir: dir.path, declarationsDir: null });
    try {
      // Long enough for a consumer, had one started, to read a message already in the log.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await session.eventStore.streamIds()).toEqual([]);
      expect(session.fatal()).toBeNull();
    } finally {
      await session.close();
    }
  });
});
