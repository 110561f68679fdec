import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { TEXT_WORK, type TextWork } from '@termline/platform';
import { DECLARATIONS, DeclarationsModule, type LoadedDeclarations } from './text/declarations.module';
import { DocumentEventsPublisher } from './document-events.publisher';
import { DocumentStateRepository } from './document-state.repository';
import { ProvisionLineageService } from './provisions/provision-lineage.service';
import { RecordFetchHandler } from './record-fetch/record-fetch.handler';
import { DOCUMENT_TEXT_EXTRACTOR } from './text/document-text.extractor';
import { FetchDeadLetterRecorder } from './dead-letters/fetch-dead-letter.recorder';
import { TextEngineExtractor } from './text/text-engine.extractor';

/**
 * The versioning use case: a RecordFetchCommand in, the snapshot archived and the document events appended. No
 * consumer: a process that reads fetches from the bus provides FetchConsumer beside this module (which exports
 * what the consumer needs), and one that records fetches itself (the CLI's replay and import) sends commands.
 */
@Module({
  imports: [CqrsModule, DeclarationsModule],
  providers: [
    RecordFetchHandler,
    DocumentStateRepository,
    ProvisionLineageService,
    DocumentEventsPublisher,
    FetchDeadLetterRecorder,
    {
      provide: DOCUMENT_TEXT_EXTRACTOR,
      inject: [TERMLINE_CONFIG, DECLARATIONS, TEXT_WORK],
      useFactory: (config: TermlineConfig, declarations: LoadedDeclarations, work: TextWork) =>
        new TextEngineExtractor(declarations.set ?? undefined, {
          volatileMasks: config.volatileMasks,
          maxInputBytes: config.maxContentBytes,
          work,
        }),
    },
  ],
  exports: [
    CqrsModule,
    RecordFetchHandler,
    // The consumer tells the states which partitions are still its own after a rebalance.
    DocumentStateRepository,
    DocumentEventsPublisher,
    FetchDeadLetterRecorder,
    DeclarationsModule,
  ],
})
export class VersioningModule {}
