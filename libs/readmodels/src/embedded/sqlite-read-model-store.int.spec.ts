import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { readModelStoreContract } from '../read-model-store.contract';
import { SqliteReadModelStore } from './sqlite-read-model-store';

const dir = tempDir();
let run = 0;
afterAll(() => dir.remove());

readModelStoreContract('SQLite (embedded)', (namespace) => {
  // The same file for both namespaces of one test, a new file per test.
  const file = join(dir.path, `rm-${namespace === 'rm_' ? ++run : run}.sqlite`);
  return Promise.resolve({
    store: new SqliteReadModelStore(file, namespace),
    cleanup: () => Promise.resolve(),
  });
});
