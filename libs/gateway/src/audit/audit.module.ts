import { Module } from '@nestjs/common';
import { ChainController } from './chain.controller';
import { ExportJobs } from './export-jobs.service';
import { ExportsController } from './exports.controller';

/** Audit edge: the chain head of a document, and exports that verify offline, large ones as jobs (ADRs 0007, 0008). */
@Module({ controllers: [ChainController, ExportsController], providers: [ExportJobs] })
export class AuditModule {}
