export * from './read-models';
export * from './governance-models';
export * from './embedded/sqlite-read-model-store';
export * from './mongo/mongo-read-model-store';
export * from './version-comparison';
export * from './provision-similarity';
export * from './governance-views';
