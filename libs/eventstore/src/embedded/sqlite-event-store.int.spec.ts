import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { eventStoreContract } from '../event-store.contract';
import { quarantineStoreContract } from '../quarantine-store.contract';
import { SqliteQuarantineStore } from './sqlite-quarantine-store';
import { openSqlite } from './sqlite';
import { SqliteEventStore } from './sqlite-event-store';

eventStoreContract('SQLite (embedded)', () => {
  const dir = tempDir();
  const file = join(dir.path, 'events.sqlite');
  const store = new SqliteEventStore(file);
  // A second connection writes rows the way the store did before commit_links existed.
  const legacy = openSqlite(file);
  const insert = legacy.prepare(
    `INSERT INTO events (stream_id, version, event_id, commit_id, type, schema_version, data, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return Promise.resolve({
    store,
    cleanup: () => {
      legacy.close();
      return Promise.resolve(dir.remove());
    },
    writeUnchained: (streamId, firstVersion, commitId, events) => {
      legacy.transaction(() => {
        events.forEach((e, i) =>
          insert.run(
            streamId,
            firstVersion + i,
            e.eventId,
            commitId,
            e.type,
            e.schemaVersion,
            JSON.stringify(e.data),
            JSON.stringify(e.metadata),
          ),
        );
      })();
      return Promise.resolve();
    },
  });
});

describe('SQLite event store chain upgrade at open', () => {
  it('links a file written before the chain existed when it opens', async () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'events.sqlite');
      const legacy = openSqlite(file);
      legacy.exec(`CREATE TABLE events (
        stream_id TEXT NOT NULL, version INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE, commit_id TEXT NOT NULL,
        type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
        PRIMARY KEY (stream_id, version)) WITHOUT ROWID`);
      legacy
        .prepare(
          `INSERT INTO events VALUES ('document:a', 1, 'e1', 'c1', 'T', 1, '{"x":1}', '{"occurredAt":"2026-01-01T00:00:00Z"}')`,
        )
        .run();
      legacy.close();
      const store = new SqliteEventStore(file);
      const [link] = await store.readChain('document:a');
      expect(link).toMatchObject({ commitId: 'c1', firstVersion: 1, lastVersion: 1, previousHash: null });
      expect(await store.upgradeChains()).toEqual({ streams: 0, commits: 0 });
      await store.close();
    } finally {
      dir.remove();
    }
  });
});

quarantineStoreContract('SQLite (embedded)', () => {
  const dir = tempDir();
  return Promise.resolve({
    store: new SqliteQuarantineStore(join(dir.path, 'quarantine.sqlite')),
    cleanup: () => Promise.resolve(dir.remove()),
  });
});
