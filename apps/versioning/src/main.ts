import { startDistributed } from '@termline/platform';
import { VersioningAppModule } from './versioning-app.module';

startDistributed('Versioning', VersioningAppModule).catch(() => process.exit(1));
