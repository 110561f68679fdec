import { startDistributed } from '@termline/platform';
import { ProjectionAppModule } from './projection-app.module';

startDistributed('Projection', ProjectionAppModule).catch(() => process.exit(1));
