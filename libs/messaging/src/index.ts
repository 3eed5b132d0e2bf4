export * from './subjects';
export * from './headers';
export * from './reply';
export * from './command-messages';
export * from './nats-json-client';
export * from './verify-messages';
export * from './usage-messages';
