import { SqliteReadModelStore } from '@termline/readmodels';
import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { configFor, startSystem, systemScenarios } from './system.scenarios';

const dir = tempDir('termline-e2e-');
afterAll(() => dir.remove());

systemScenarios('embedded mode (SQLite log and stores)', () => {
  const config = configFor({ TERMLINE_DATA_DIR: dir.path });
  return startSystem('embedded', config, () =>
    Promise.resolve(new SqliteReadModelStore(join(dir.path, 'read-models.sqlite'), 'rm_rebuild_')),
  );
});
