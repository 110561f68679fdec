import { startDistributed } from '@termline/platform';
import { ProjectionModule } from './projection.module';

startDistributed('Projection', ProjectionModule).catch(() => process.exit(1));
