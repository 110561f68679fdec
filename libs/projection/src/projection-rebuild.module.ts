import { Module } from '@nestjs/common';
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
    { provide: PROVISION_CLASSIFIER, useFactory: regulatoryClassifier },
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
