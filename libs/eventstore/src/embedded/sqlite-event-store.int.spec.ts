import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { eventStoreContract } from '../event-store.contract';
import { snapshotStoreContract } from '../snapshot-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

eventStoreContract('SQLite (embedded)', () => {
  const dir = tempDir();
  return Promise.resolve({ store: new SqliteEventStore(join(dir.path, 'events.sqlite')), cleanup: () => Promise.resolve(dir.remove()) });
});

snapshotStoreContract('SQLite (embedded)', () => {
  const dir = tempDir();
  return Promise.resolve({
    store: new SqliteSnapshotStore(join(dir.path, 'snapshots.sqlite')),
    cleanup: () => Promise.resolve(dir.remove()),
  });
});
