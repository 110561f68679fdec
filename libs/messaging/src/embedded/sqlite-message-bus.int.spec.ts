import { tempDir, type TempDir } from '@termline/testing';
import { join } from 'node:path';
import { silentConsumerLogger } from '../consume-with-policy';
import { messageBusContract } from '../message-bus.contract';
import { SqliteMessageBus } from './sqlite-message-bus';

let dir: TempDir;
beforeAll(() => {
  dir = tempDir('termline-bus-');
});
afterAll(() => dir.remove());

// Every bus of this file opens the same log file, so a new bus is a restart.
messageBusContract('SQLite (embedded)', () => {
  const bus = new SqliteMessageBus(join(dir.path, 'bus.sqlite'), { policy: { logger: silentConsumerLogger } });
  return Promise.resolve({ bus, cleanup: () => bus.close() });
});
