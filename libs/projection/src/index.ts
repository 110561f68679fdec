// The projection: document events caught up into timelines, version views and governance mappings, and the rebuild
// of them all from the event store. The bus consumer is exported for the processes that wire it.
export * from './projection-rebuild.module';
export * from './projection-rebuild.service';
export * from './document-events.consumer';
export * from './timeline.projection';
export * from './timeline.projector';
export * from './per-stream-queue';
export * from './projected-writes.buffer';
export * from './stream-tail.reader';
export * from './governance/governance.projection';
export * from './governance/governance.projector';
export * from './governance/provision-classifier';
export * from './governance/regulatory-classifier';
export * from './governance/stated-dates';
