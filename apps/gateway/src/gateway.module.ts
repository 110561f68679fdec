import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ProjectionRebuildModule } from '../../projection/src/projection-rebuild.module';
import { AdminController } from './admin/admin.controller';
import { AuditModule } from './audit/audit.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueQueries } from './catalogue/catalogue.queries';
import { SnapshotsController } from './catalogue/snapshots.controller';
import { ProblemFilter } from './http/problem.filter';
import { FetchesController } from './ingest/fetches.controller';
import { IngestService } from './ingest/ingest.service';
import { MetricsInterceptor } from './ops/metrics.interceptor';
import { MetricsService } from './ops/metrics.service';
import { OpsController } from './ops/ops.controller';

/** REST edge: thin controllers over the read models, ingest onto the fetches topic. */
@Module({
  imports: [ProjectionRebuildModule, AuditModule],
  controllers: [FetchesController, CatalogueController, SnapshotsController, OpsController, AdminController],
  providers: [
    CatalogueQueries,
    IngestService,
    MetricsService,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_INTERCEPTOR, useClass: MetricsInterceptor },
  ],
})
export class GatewayModule {}
