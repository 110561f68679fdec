import { Module } from '@nestjs/common';
import { TEXT_WORK, type TextWork } from '@termline/platform';
import { GovernanceProjector } from './governance/governance.projector';
import { PROVISION_CLASSIFIER } from './governance/provision-classifier';
import { regulatoryClassifier } from './governance/regulatory-classifier';
import { ProjectionRebuildService } from './projection-rebuild.service';
import { OwnedReadModels } from './projected-writes.buffer';
import { TimelineProjector } from './timeline.projector';

/** The projection logic without its consumer: what a rebuild needs, wherever it runs. */
@Module({
  providers: [
    TimelineProjector,
    GovernanceProjector,
    {
      provide: PROVISION_CLASSIFIER,
      inject: [{ token: TEXT_WORK, optional: true }],
      useFactory: (work?: TextWork) => regulatoryClassifier(work),
    },
    ProjectionRebuildService,
    OwnedReadModels,
  ],
  exports: [
    TimelineProjector,
    GovernanceProjector,
    PROVISION_CLASSIFIER,
    ProjectionRebuildService,
    OwnedReadModels,
  ],
})
export class ProjectionRebuildModule {}
