import { setTimeout as sleep } from 'node:timers/promises';
import { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreDbWireServer } from '../../../../test/eventstoredb-wire-server/wire-server';
import { newEvents, uniqueStreamName } from '../contract/contract-fixtures';
import type { EventToAppend } from '../event-store.port';
import { AllSubscription } from './all-subscription';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const WATER_MARKS = { highWaterMark: 200, lowWaterMark: 100 };
/**
 * What may reach the queue after it asks for a pause. Pausing stops the client's 'data' events at
 * once, so it peaks at the high-water mark + 1 (measured: 201, and over 2,000 without the pause);
 * the bound allows one buffer of the client's stream (16 objects, Node's default in object mode)
 * so that the test holds the bound, not this detail.
 */
const ONE_GRPC_BATCH = 16;
const FILTER = { streamNamePrefixes: ['serviceAccount-'] };

/*
 * A consumer far slower than the store (a projector replaying a large one) must not make the
 * subscription buffer the whole store: the queue stays near its high-water mark, and every event
 * still arrives once, in order, with caught-up after the backlog.
 */
describe('AllSubscription backpressure on the wire server', () => {
  // Thousands of events through a gRPC server in this process: about 2 s on a quiet machine,
  // past Jest's 5 s default on a loaded CI one. What it proves is order and memory, not speed.
  jest.setTimeout(30_000);
  let server: EventStoreDbWireServer;
  let store: EventStoreDbEventStore;
  let client: EventStoreDBClient;
  let subscription: AllSubscription | undefined;

  beforeEach(async () => {
    server = await new EventStoreDbWireServer().start(0);
    store = EventStoreDbEventStore.connect(server.url);
    client = EventStoreDBClient.connectionString(server.url);
  });

  afterEach(async () => {
    await subscription?.stop();
    subscription = undefined;
    await client.dispose();
    await store.close();
    await server.stop();
  });

  it('keeps a slow consumer’s queue within the high-water mark while replaying 4,000 events', async () => {
    const appended = await appendMany(4_000);
    subscription = new AllSubscription(client, { from: 'start', filter: FILTER }, '', WATER_MARKS);

    const { ids, caughtUpAfter, peak } = await consumeSlowly(subscription, appended.length);

    expect(ids).toEqual(appended.map((event) => event.id));
    expect(caughtUpAfter).toEqual([4_000]);
    expect(peak).toBeGreaterThan(WATER_MARKS.highWaterMark); // the consumer was slow enough
    expect(peak).toBeLessThanOrEqual(WATER_MARKS.highWaterMark + ONE_GRPC_BATCH);
  });

  it('stays paused across a resubscription and loses or repeats nothing', async () => {
    const appended = await appendMany(2_000);
    subscription = new AllSubscription(client, { from: 'start', filter: FILTER }, '', WATER_MARKS);

    const { ids, caughtUpAfter, peak } = await consumeSlowly(
      subscription,
      appended.length,
      async (taken) => {
        if (taken !== 500) return;
        await server.stop();
        await server.start();
        await sleep(500); // the consumer stalls: the new client subscription opens on a full queue
      },
    );

    expect(ids).toEqual(appended.map((event) => event.id));
    expect(caughtUpAfter).toEqual([2_000]); // the first subscription never reached its own
    expect(peak).toBeLessThanOrEqual(WATER_MARKS.highWaterMark + ONE_GRPC_BATCH);
  });

  async function appendMany(count: number): Promise<EventToAppend[]> {
    const stream = uniqueStreamName('serviceAccount');
    const events = newEvents(count);
    for (let from = 0; from < count; from += 500) {
      await store.appendToStream(stream, events.slice(from, from + 500), {
        expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1),
      });
    }
    return events;
  }
});

/**
 * Takes `count` events and the caught-up after them, at most two events a millisecond: a third
 * of the pace at which the wire server, in this same process, replays them. `caughtUpAfter` says
 * after how many events each caught-up came. `peak` is the longest the queue was: between two
 * takes only the producer changes it, so its length just before a take is its largest since the
 * previous one.
 */
async function consumeSlowly(
  subscription: AllSubscription,
  count: number,
  afterTake: (taken: number) => Promise<void> = async () => {},
): Promise<{ ids: string[]; caughtUpAfter: number[]; peak: number }> {
  const ids: string[] = [];
  const caughtUpAfter: number[] = [];
  let peak = 0;
  for await (const item of subscription) {
    peak = Math.max(peak, subscription.buffered + 1);
    if (item.kind === 'caught-up') {
      caughtUpAfter.push(ids.length);
      if (ids.length === count) break;
      continue;
    }
    ids.push(item.event.id);
    await afterTake(ids.length);
    if (ids.length % 40 === 0) await sleep(20);
  }
  return { ids, caughtUpAfter, peak };
}
