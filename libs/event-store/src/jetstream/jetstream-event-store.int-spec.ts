import { connect, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import {
  newEvent,
  newEvents,
  SubscriptionRecorder,
  uniqueStreamName,
} from '../contract/contract-fixtures';
import { InvalidStreamNameError } from '../errors';
import { describeEventStoreContract } from '../event-store.contract';
import { JetStreamEventStore, type JetStreamEventStoreOptions } from './jetstream-event-store';

let server: NatsServerHandle;
let connection: NatsConnection;
let isolation = 0;

beforeAll(async () => {
  server = await startNatsServer();
  connection = await connect({ servers: server.url, noAsyncTraces: true });
});

afterAll(async () => {
  await connection?.drain();
  await server?.stop();
});

/** Each test gets its own JetStream stream and subjects on the file's server. */
function isolatedOptions(): JetStreamEventStoreOptions {
  isolation++;
  return { streamName: `KW_CONTRACT_${isolation}`, subjectPrefix: `kwc${isolation}.ev` };
}

describeEventStoreContract('JetStreamEventStore', async () => {
  const options = isolatedOptions();
  const store = await JetStreamEventStore.create(connection, options);
  return {
    store,
    reopen: async () => new JetStreamEventStore(connection, options),
    teardown: async () => {
      await store.close();
      const jsm = await connection.jetstreamManager();
      await jsm.streams.delete(options.streamName as string);
    },
  };
});

describe('JetStreamEventStore on JetStream', () => {
  let options: JetStreamEventStoreOptions;
  let store: JetStreamEventStore;
  const jsm = () => connection.jetstreamManager();

  beforeEach(async () => {
    options = isolatedOptions();
    store = await JetStreamEventStore.create(connection, options);
  });

  afterEach(async () => {
    await store.close();
    await (await jsm()).streams.delete(options.streamName as string);
  });

  it('stores one message per append on its stream subject, with the last revision', async () => {
    await store.appendToStream('serviceAccount-sa:1', newEvents(3), {
      expectedRevision: 'no_stream',
    });
    await store.appendToStream('plain', newEvents(1), { expectedRevision: 'no_stream' });
    const manager = await jsm();
    const { state } = await manager.streams.info(options.streamName as string);
    expect(state.messages).toBe(2);
    const commit = await manager.streams.getMessage(options.streamName as string, {
      last_by_subj: `${options.subjectPrefix}.serviceAccount.sa:1`,
    });
    expect(commit.header.get('Kw-Revision')).toBe('2');
    expect(commit.json<unknown[]>()).toHaveLength(3);
    expect((await store.readStream('plain'))[0].streamName).toBe('plain');
  });

  it.each(['', 'a.b', 'a b', '-a', 'a-', 'a*', 'a-b>', 'ä'])(
    'rejects the stream name %j',
    async (name) => {
      const append = store.appendToStream(name, newEvents(1), { expectedRevision: 'any' });
      await expect(append).rejects.toBeInstanceOf(InvalidStreamNameError);
      await expect(store.readStream(name)).rejects.toBeInstanceOf(InvalidStreamNameError);
    },
  );

  it('rejects an empty append and one with more events than a position can index', async () => {
    const stream = uniqueStreamName('order');
    const tooMany = Array.from({ length: 65_537 }, (_, i) => ({ ...newEvent(), id: `e${i}` }));
    await expect(store.appendToStream(stream, [], { expectedRevision: 'any' })).rejects.toThrow(
      RangeError,
    );
    await expect(
      store.appendToStream(stream, tooMany, { expectedRevision: 'any' }),
    ).rejects.toThrow(/at most 65536/);
  });

  it('answers a retry after the duplicate window from the stored events', async () => {
    await store.close();
    store = await JetStreamEventStore.create(connection, { ...options, duplicateWindowMs: 100 });
    const stream = uniqueStreamName('order');
    const events = newEvents(2);
    const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fresh = new JetStreamEventStore(connection, options);
    expect(await fresh.appendToStream(stream, events, { expectedRevision: 'no_stream' })).toEqual(
      first,
    );
    expect(await fresh.readStream(stream)).toHaveLength(2);
  });

  it('brings an existing stream to its configuration', async () => {
    await JetStreamEventStore.create(connection, { ...options, duplicateWindowMs: 60_000 });
    const { config } = await (await jsm()).streams.info(options.streamName as string);
    expect(config).toMatchObject({
      duplicate_window: 60_000 * 1e6,
      deny_delete: true,
      allow_direct: true,
    });
  });

  it('leaves no consumer behind after long reads and stopped subscriptions', async () => {
    const stream = uniqueStreamName('ledger');
    for (let revision = -1; revision < 39; revision += 2) {
      const expectedRevision = revision < 0 ? ('no_stream' as const) : BigInt(revision);
      await store.appendToStream(stream, newEvents(2), { expectedRevision });
    }
    expect(await store.readStream(stream)).toHaveLength(40);
    const recorder = new SubscriptionRecorder(store.subscribeToAll({ from: 'start' }));
    await recorder.waitForCaughtUp();
    await recorder.stop();
    const consumers = await (await jsm()).consumers.list(options.streamName as string).next();
    expect(consumers).toEqual([]);
  });
});
