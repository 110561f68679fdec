// The versioning use case: a fetch in, a snapshot archived and document events appended and published. The bus
// consumer is exported for the processes that wire it (apps/versioning, apps/termline); the module does not start it.
export * from './versioning.module';
export * from './fetch.consumer';
export * from './record-fetch/record-fetch.command';
export * from './record-fetch/record-fetch.handler';
export * from './document-events.publisher';
export * from './document-state.repository';
export * from './dead-letters/fetch-dead-letter.recorder';
export * from './provisions/provision-lineage.service';
export * from './text/declarations.loader';
export * from './text/declarations.module';
export * from './text/document-text.extractor';
export * from './text/pdf-reader';
export * from './text/text-engine.extractor';
