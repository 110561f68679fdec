export * from './clock';
export * from './topics';
export * from './infrastructure.module';
export * from './stored-event.codec';
export * from './fatal';
export * from './bootstrap';
export * from './quarantine';
export * from './bounded-map';
