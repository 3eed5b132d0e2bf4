export * from './event-store.port';
export { InvalidStreamNameError, WrongExpectedRevisionError } from './errors';
export {
  JetStreamEventStore,
  type JetStreamEventStoreOptions,
} from './jetstream/jetstream-event-store';
