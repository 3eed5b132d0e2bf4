export * from './event-store.port';
export {
  InvalidStreamNameError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from './errors';
export {
  JetStreamEventStore,
  type JetStreamEventStoreOptions,
} from './jetstream/jetstream-event-store';
export {
  EventStoreDbEventStore,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb/eventstoredb-event-store';
export {
  createEventStore,
  eventStoreKind,
  type CreateEventStoreOptions,
  type EventStoreKind,
} from './create-event-store';
export { InMemoryEventLog, InMemoryEventStore } from './memory/in-memory-event-store';
