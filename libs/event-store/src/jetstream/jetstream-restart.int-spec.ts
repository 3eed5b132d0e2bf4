import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, Events, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import { newEvents, SubscriptionRecorder, uniqueStreamName } from '../contract/contract-fixtures';
import type { EventToAppend, Revision } from '../event-store.port';
import { JetStreamEventStore } from './jetstream-event-store';

const STORE = { streamName: 'KW_RESTART' };
let storeDir: string;
let server: NatsServerHandle;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  storeDir = mkdtempSync(join(tmpdir(), 'keyward-restart-'));
  server = await startNatsServer({ storeDir });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await server?.stop();
  rmSync(storeDir, { recursive: true, force: true });
});

async function openStore(reconnectTimeWait: number) {
  const connection = await connect({
    servers: server.url,
    noAsyncTraces: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait,
    reconnectJitter: 0,
  });
  const store = await JetStreamEventStore.create(connection, STORE);
  cleanups.push(async () => {
    await store.close();
    await connection.close();
  });
  return { connection, store };
}

async function nextReconnect(connection: NatsConnection): Promise<void> {
  for await (const status of connection.status()) {
    if (status.type === Events.Reconnect) return;
  }
}

/*
 * A request sent while the client is still reconnecting can go unanswered (it times out), but
 * appends are idempotent, so retrying one is safe.
 */
async function appendRetrying(
  store: JetStreamEventStore,
  stream: string,
  events: EventToAppend[],
  expectedRevision: Revision | 'no_stream',
): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await store.appendToStream(stream, events, { expectedRevision });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

it('keeps a subscription going across a nats-server restart, without loss or duplicates', async () => {
  const { connection, store } = await openStore(50);
  const stream = uniqueStreamName('serviceAccount');
  const [before, after] = [newEvents(5), newEvents(5)];
  await store.appendToStream(stream, before.slice(0, 2), { expectedRevision: 'no_stream' });
  await store.appendToStream(stream, before.slice(2), { expectedRevision: 1n });
  const recorder = new SubscriptionRecorder(store.subscribeToAll({ from: 'start' }));
  cleanups.push(() => recorder.stop());
  await recorder.waitForCaughtUp();

  const [pid, reconnected] = [server.pid, nextReconnect(connection)];
  await server.restart();
  expect(server.pid).not.toBe(pid);
  await reconnected;
  await appendRetrying(store, stream, after.slice(0, 1), 4n);
  await appendRetrying(store, stream, after.slice(1), 5n);

  await recorder.waitFor(() => recorder.events.length >= 10, 15_000);
  await recorder.waitForCaughtUp(2, 15_000);
  expect(recorder.events.map((event) => event.id)).toEqual([...before, ...after].map((e) => e.id));
  expect(recorder.events.map((event) => event.revision)).toEqual([...Array(10).keys()].map(BigInt));
  expect(await store.readStream(stream)).toHaveLength(10);
}, 30_000);

it('after a reconnect, is caught up only once it has what was committed while it was away', async () => {
  const writer = await openStore(20);
  const reader = await openStore(1500);
  const stream = uniqueStreamName('key');
  await writer.store.appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' });
  const recorder = new SubscriptionRecorder(
    reader.store.subscribeToAll({ from: 'start', filter: { streamNamePrefixes: ['key-'] } }),
  );
  cleanups.push(() => recorder.stop());
  await recorder.waitForCaughtUp();

  const [port, writerBack] = [server.port, nextReconnect(writer.connection)];
  await server.stop();
  server = await startNatsServer({ port, storeDir });
  await writerBack;
  const missed = newEvents(3);
  for (const [index, event] of missed.entries()) {
    await appendRetrying(writer.store, stream, [event], BigInt(index));
  }

  await recorder.waitForCaughtUp(2, 15_000);
  const kinds = recorder.items.map((item) => item.kind);
  const delivered = recorder.items
    .slice(0, kinds.lastIndexOf('caught-up'))
    .flatMap((item) => (item.kind === 'event' ? [item.event.id] : []));
  expect(delivered.slice(1)).toEqual(missed.map((event) => event.id));
}, 30_000);
