import { Module } from '@nestjs/common';
import { ChainController } from './chain.controller';
import { ExportsController } from './exports.controller';

/** Audit edge: the chain head of a document, and exports that verify offline (ADRs 0007, 0008). */
@Module({ controllers: [ChainController, ExportsController] })
export class AuditModule {}
