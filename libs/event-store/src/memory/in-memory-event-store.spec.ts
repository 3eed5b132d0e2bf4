import { newEvent, newEvents, uniqueStreamName } from '../contract/contract-fixtures';
import { describeEventStoreContract } from '../event-store.contract';
import { InMemoryEventLog } from './in-memory-event-log';
import { InMemoryEventStore } from './in-memory-event-store';

/** Each test gets a fresh log; `reopen` is a second store over the same log. */
describeEventStoreContract('InMemoryEventStore', async () => {
  const log = new InMemoryEventLog();
  const store = new InMemoryEventStore(log);
  return {
    store,
    reopen: async () => new InMemoryEventStore(log),
    teardown: () => store.close(),
  };
});

describe('InMemoryEventStore in memory', () => {
  it('rejects an empty append', async () => {
    const store = new InMemoryEventStore();
    await expect(
      store.appendToStream(uniqueStreamName('order'), [], { expectedRevision: 'any' }),
    ).rejects.toThrow(RangeError);
  });

  it('stores JSON copies: neither the appender nor a reader can change what is stored', async () => {
    const store = new InMemoryEventStore();
    const stream = uniqueStreamName('order');
    const event = newEvent('OrderPlaced', { lines: ['a'], at: new Date(0), note: undefined });
    await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
    (event.data as { lines: string[] }).lines.push('b');
    const [read] = await store.readStream(stream);
    (read.data as { lines: string[] }).lines.push('c');
    expect((await store.readStream(stream))[0].data).toEqual({
      lines: ['a'],
      at: '1970-01-01T00:00:00.000Z',
    });
  });

  it('refuses calls once closed and leaves the log to the other instances', async () => {
    const log = new InMemoryEventLog();
    const store = new InMemoryEventStore(log);
    const stream = uniqueStreamName('order');
    await store.appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
    await store.close();
    await expect(store.readStream(stream)).rejects.toThrow('closed');
    expect(() => store.subscribeToAll({ from: 'start' })).toThrow('closed');
    expect(await new InMemoryEventStore(log).readStream(stream)).toHaveLength(2);
  });
});
