export * from './errors';
export * from './document-id';
export * from './fetch-event';
export * from './document.events';
export * from './document.decider';
export * from './upcasters';
export * from './version-history';
export * from './failed-fetch';
