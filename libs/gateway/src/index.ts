// The REST edge as a module, for the processes that serve it (apps/gateway alone, apps/termline with the rest).
export * from './gateway.module';
export * from './http/configure-http';
// The budget of request bodies in hand: its tests read how much it holds.
export { BodyBudget } from './http/body-budget';
export * from './ingest/ingest.service';
export * from './governance/governance.queries';
export * from './governance/strict-query';
// The catalogue's queries, for the CLI's read commands on an embedded store (the same answers as the API).
export { CatalogueQueries, type ServiceSummary } from './catalogue/catalogue.queries';
export { CATALOGUE_PAGE_LIMIT, parseInstant } from './http/paging';
