import { Module } from '@nestjs/common';
import { DocumentEventsConsumer, ProjectionRebuildModule } from '@termline/projection';

/** The projection process: document events in; catalogue, versions, timelines and governance mappings out. */
@Module({
  imports: [ProjectionRebuildModule],
  providers: [DocumentEventsConsumer],
})
export class ProjectionAppModule {}
