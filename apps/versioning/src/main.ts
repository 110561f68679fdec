import { startDistributed } from '@termline/platform';
import { VersioningModule } from './versioning.module';

startDistributed('Versioning', VersioningModule).catch(() => process.exit(1));
