import { Module } from '@nestjs/common';
import { DocumentEventsConsumer } from './document-events.consumer';
import { ProjectionRebuildService } from './projection-rebuild.service';
import { TimelineProjector } from './timeline.projector';

/** Document events in; catalogue, versions, timelines and observations out. */
@Module({
  providers: [TimelineProjector, DocumentEventsConsumer, ProjectionRebuildService],
  exports: [TimelineProjector, ProjectionRebuildService],
})
export class ProjectionModule {}
