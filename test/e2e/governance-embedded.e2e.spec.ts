import { SqliteReadModelStore } from '@termline/readmodels';
import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { governanceScenarios } from './governance.scenarios';
import { configFor, startSystem } from './system.scenarios';

const dir = tempDir('termline-governance-e2e-');
afterAll(() => dir.remove());

governanceScenarios('embedded mode (SQLite)', () => {
  const config = configFor({ TERMLINE_DATA_DIR: dir.path });
  return startSystem('embedded', config, () =>
    Promise.resolve(new SqliteReadModelStore(join(dir.path, 'read-models.sqlite'), 'rm_rebuild_')),
  );
});
