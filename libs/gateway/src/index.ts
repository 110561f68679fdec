// The REST edge as a module, for the processes that serve it (apps/gateway alone, apps/termline with the rest).
export * from './gateway.module';
export * from './http/configure-http';
export * from './ingest/ingest.service';
export * from './governance/governance.queries';
export * from './governance/strict-query';
