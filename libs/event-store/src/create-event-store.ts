import type { NatsConnection } from 'nats';
import type { EventStore } from './event-store.port';
import {
  EventStoreDbEventStore,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb/eventstoredb-event-store';
import {
  JetStreamEventStore,
  type JetStreamEventStoreOptions,
} from './jetstream/jetstream-event-store';

export interface CreateEventStoreOptions {
  /** `EVENT_STORE_URL`: an `esdb://` or `esdb+discover://` connection string, or unset. */
  eventStoreUrl?: string;
  /** The service's NATS connection; the JetStream store uses it and does not close it. */
  natsConnection: NatsConnection;
  jetStream?: JetStreamEventStoreOptions;
  /**
   * A reader (projector, verifier) never creates or reconfigures the JetStream stream: it waits
   * for the command service to, and its NATS user is not allowed to anyway.
   */
  reader?: boolean;
  eventStoreDb?: EventStoreDbEventStoreOptions;
}

export type EventStoreKind = 'eventstoredb' | 'jetstream';

const EVENTSTOREDB_SCHEMES = ['esdb://', 'esdb+discover://'];

/*
 * Unset (or a `nats://` URL, which names the connection the services already have) means
 * JetStream. Any other scheme is refused: a typo must not silently send production writes to
 * the embedded store.
 */
export function eventStoreKind(eventStoreUrl: string | undefined): EventStoreKind {
  const url = eventStoreUrl?.trim() ?? '';
  if (EVENTSTOREDB_SCHEMES.some((scheme) => url.startsWith(scheme))) return 'eventstoredb';
  if (url === '' || url.startsWith('nats://') || url.startsWith('tls://')) return 'jetstream';
  throw new Error(
    `EVENT_STORE_URL must be esdb://…, esdb+discover://… or unset (JetStream); got ${JSON.stringify(url)}`,
  );
}

/** The store the deployment chose: EventStoreDB for an `esdb` URL, JetStream otherwise. */
export async function createEventStore(options: CreateEventStoreOptions): Promise<EventStore> {
  if (eventStoreKind(options.eventStoreUrl) === 'eventstoredb') {
    return EventStoreDbEventStore.connect(options.eventStoreUrl as string, options.eventStoreDb);
  }
  const jetStream = options.reader
    ? { ...options.jetStream, ownsStream: false }
    : options.jetStream;
  return JetStreamEventStore.create(options.natsConnection, jetStream);
}
