import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { eventStoreContract } from '../event-store.contract';
import { quarantineStoreContract } from '../quarantine-store.contract';
import { SqliteQuarantineStore } from './sqlite-quarantine-store';
import { SqliteEventStore } from './sqlite-event-store';

eventStoreContract('SQLite (embedded)', () => {
  const dir = tempDir();
  return Promise.resolve({
    store: new SqliteEventStore(join(dir.path, 'events.sqlite')),
    cleanup: () => Promise.resolve(dir.remove()),
  });
});

quarantineStoreContract('SQLite (embedded)', () => {
  const dir = tempDir();
  return Promise.resolve({
    store: new SqliteQuarantineStore(join(dir.path, 'quarantine.sqlite')),
    cleanup: () => Promise.resolve(dir.remove()),
  });
});
