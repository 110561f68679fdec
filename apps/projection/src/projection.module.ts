import { Module } from '@nestjs/common';
import { DocumentEventsConsumer } from './document-events.consumer';
import { ProjectionRebuildModule } from './projection-rebuild.module';

/** Document events in; catalogue, versions, timelines and observations out. */
@Module({
  imports: [ProjectionRebuildModule],
  providers: [DocumentEventsConsumer],
  exports: [ProjectionRebuildModule],
})
export class ProjectionModule {}
