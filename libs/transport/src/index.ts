export * from './app-error';
export * from './call-context';
export * from './json-envelope.deserializer';
export * from './json-envelope.serializer';
export * from './rpc-error.filter';
export * from './validation.pipe';
export * from './nats-options';
export * from './health-server';
