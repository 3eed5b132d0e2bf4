import { eventStoreKind } from './create-event-store';

describe('choosing the event store from EVENT_STORE_URL', () => {
  it.each([
    ['esdb://127.0.0.1:2113?tls=false', 'eventstoredb'],
    ['esdb+discover://cluster.dns:2113', 'eventstoredb'],
    [undefined, 'jetstream'],
    ['', 'jetstream'],
    ['nats://127.0.0.1:4222', 'jetstream'],
  ] as const)('%j selects %s', (url, kind) => {
    expect(eventStoreKind(url)).toBe(kind);
  });

  it.each(['http://127.0.0.1:2113', 'esdb:/typo', 'kurrentdb://host:2113'])(
    'refuses %j rather than fall back to JetStream',
    (url) => {
      expect(() => eventStoreKind(url)).toThrow(/EVENT_STORE_URL/);
    },
  );
});
