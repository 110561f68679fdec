export * from './event-store.port';
export * from './snapshot-store.port';
export * from './embedded/sqlite';
export * from './embedded/sqlite-event-store';
export * from './embedded/sqlite-snapshot-store';
export * from './mongo/mongo-connection';
export * from './mongo/mongo-event-store';
export * from './mongo/mongo-snapshot-store';
