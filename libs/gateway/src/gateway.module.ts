import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { ProjectionRebuildModule } from '@termline/projection';
import { DeclarationsModule } from '@termline/versioning';
import { AdminController } from './admin/admin.controller';
import { QuarantineService } from './admin/quarantine.service';
import { AuditModule } from './audit/audit.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { CatalogueController } from './catalogue/catalogue.controller';
import { DeclarationsController } from './declarations/declarations.controller';
import { CatalogueQueries } from './catalogue/catalogue.queries';
import { SnapshotsController } from './catalogue/snapshots.controller';
import { FeedsController } from './governance/feeds.controller';
import { GovernanceController } from './governance/governance.controller';
import { GovernanceQueries } from './governance/governance.queries';
import { BodyBudget } from './http/body-budget';
import { ProblemFilter } from './http/problem.filter';
import { FetchesController } from './ingest/fetches.controller';
import { IngestService } from './ingest/ingest.service';
import { MetricsService } from './ops/metrics.service';
import { OpsController } from './ops/ops.controller';
import { RegulatoryController } from './regulatory/regulatory.controller';

/** REST edge: thin controllers over the read models, ingest onto the fetches topic. */
@Module({
  imports: [ProjectionRebuildModule, DeclarationsModule, AuditModule],
  controllers: [
    FetchesController,
    CatalogueController,
    SnapshotsController,
    OpsController,
    AdminController,
    DeclarationsController,
    RegulatoryController,
    GovernanceController,
    FeedsController,
  ],
  providers: [
    CatalogueQueries,
    GovernanceQueries,
    IngestService,
    QuarantineService,
    MetricsService,
    {
      provide: BodyBudget,
      useFactory: (config: TermlineConfig) => new BodyBudget(config.maxBodyBytesInFlight),
      inject: [TERMLINE_CONFIG],
    },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class GatewayModule {}
