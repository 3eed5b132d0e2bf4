export { findNatsServerBinary } from './find-nats-server-binary';
export { startNatsServer, type NatsServerHandle, type NatsServerOptions } from './nats-server';
