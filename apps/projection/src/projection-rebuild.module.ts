import { Module } from '@nestjs/common';
import { ProjectionRebuildService } from './projection-rebuild.service';
import { TimelineProjector } from './timeline.projector';

/** The projection logic without its consumer: what a rebuild needs, wherever it runs. */
@Module({
  providers: [TimelineProjector, ProjectionRebuildService],
  exports: [TimelineProjector, ProjectionRebuildService],
})
export class ProjectionRebuildModule {}
