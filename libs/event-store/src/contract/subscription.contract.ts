import type { EventStore, RecordedEvent, SubscribeOptions } from '../event-store.port';
import { expectStrictlyIncreasing } from './append-read.contract';
import {
  newEvent,
  newEvents,
  SubscriptionRecorder,
  uniqueStreamName,
  type CurrentFixture,
} from './contract-fixtures';

const ids = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);

/** Appends `rounds` events to each stream, round by round, all streams of a round at once. */
async function appendInterleaved(
  store: EventStore,
  streams: string[],
  rounds: number,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const expectedRevision = round === 0 ? ('no_stream' as const) : BigInt(round - 1);
    await Promise.all(
      streams.map((stream) => store.appendToStream(stream, [newEvent()], { expectedRevision })),
    );
  }
}

export function describeSubscriptionContract(fixture: CurrentFixture): void {
  const store = () => fixture().store;
  const recorders: SubscriptionRecorder[] = [];
  const record = (options: SubscribeOptions): SubscriptionRecorder => {
    const recorder = new SubscriptionRecorder(store().subscribeToAll(options));
    recorders.push(recorder);
    return recorder;
  };
  /** Everything up to the first caught-up. */
  const catchUp = async (options: SubscribeOptions): Promise<RecordedEvent[]> => {
    const recorder = record(options);
    await recorder.waitForCaughtUp();
    await recorder.stop();
    return recorder.events;
  };

  afterEach(async () => {
    await Promise.all(recorders.splice(0).map((recorder) => recorder.stop()));
  });

  it('is caught up at once on an empty store', async () => {
    const recorder = record({ from: 'start' });
    await recorder.waitForCaughtUp();
    expect(recorder.items).toEqual([{ kind: 'caught-up', position: null }]);
  });

  it('delivers every event of many interleaved streams in position order', async () => {
    const streams = Array.from({ length: 200 }, () => uniqueStreamName('tenant'));
    await appendInterleaved(store(), streams, 5);
    const recorder = record({ from: 'start' });
    await recorder.waitForCaughtUp(1, 15_000);
    const events = recorder.events;
    expect(events).toHaveLength(1000);
    expectStrictlyIncreasing(events.map((event) => event.position));
    const revisions = new Map<string, bigint[]>();
    for (const event of events)
      revisions.set(event.streamName, [...(revisions.get(event.streamName) ?? []), event.revision]);
    expect([...revisions.keys()].sort()).toEqual([...streams].sort());
    expect([...revisions.values()].every((r) => r.join() === '0,1,2,3,4')).toBe(true);
    expect(recorder.items.at(-1)).toEqual({ kind: 'caught-up', position: events[999].position });
  }, 20_000);

  it('resumes strictly after a position, also from inside an append', async () => {
    const stream = uniqueStreamName('order');
    await store().appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
    await store().appendToStream(stream, newEvents(3), { expectedRevision: 1n });
    await store().appendToStream(uniqueStreamName('order'), newEvents(2), {
      expectedRevision: 'any',
    });
    const all = await catchUp({ from: 'start' });
    expect(all).toHaveLength(7);
    for (const cut of [0, 1, 2, 3, 4, 6]) {
      expect(ids(await catchUp({ from: all[cut].position }))).toEqual(ids(all.slice(cut + 1)));
    }
  });

  it('filters by stream-name prefix and by event type', async () => {
    const account = uniqueStreamName('serviceAccount');
    const other = uniqueStreamName('service');
    const member = uniqueStreamName('member');
    await store().appendToStream(account, [newEvent('Created'), newEvent('Renamed')], {
      expectedRevision: 'no_stream',
    });
    await store().appendToStream(other, [newEvent('Created')], { expectedRevision: 'no_stream' });
    await store().appendToStream(member, [newEvent('Joined'), newEvent('Renamed')], {
      expectedRevision: 'no_stream',
    });
    const streamsOf = (events: RecordedEvent[]) =>
      events.map((event) => `${event.streamName}:${event.type}`);
    expect(
      streamsOf(
        await catchUp({ from: 'start', filter: { streamNamePrefixes: ['serviceAccount-'] } }),
      ),
    ).toEqual([`${account}:Created`, `${account}:Renamed`]);
    expect(
      streamsOf(await catchUp({ from: 'start', filter: { streamNamePrefixes: ['service'] } })),
    ).toEqual([`${account}:Created`, `${account}:Renamed`, `${other}:Created`]);
    expect(
      streamsOf(
        await catchUp({ from: 'start', filter: { streamNamePrefixes: ['service-', 'member-'] } }),
      ),
    ).toEqual([`${other}:Created`, `${member}:Joined`, `${member}:Renamed`]);
    expect(
      streamsOf(await catchUp({ from: 'start', filter: { eventTypes: ['Renamed'] } })),
    ).toEqual([`${account}:Renamed`, `${member}:Renamed`]);
    expect(
      streamsOf(
        await catchUp({
          from: 'start',
          filter: { streamNamePrefixes: ['member-'], eventTypes: ['Joined'] },
        }),
      ),
    ).toEqual([`${member}:Joined`]);
  });

  it('is caught up even when nothing matches the filter', async () => {
    await store().appendToStream(uniqueStreamName('order'), newEvents(3), {
      expectedRevision: 'no_stream',
    });
    const recorder = record({ from: 'start', filter: { streamNamePrefixes: ['nothing-'] } });
    await recorder.waitForCaughtUp();
    expect(recorder.events).toEqual([]);
  });

  it('keeps delivering live events after catching up', async () => {
    const stream = uniqueStreamName('order');
    const first = await store().appendToStream(stream, newEvents(2), {
      expectedRevision: 'no_stream',
    });
    const recorder = record({ from: 'start', filter: { streamNamePrefixes: ['order-'] } });
    await recorder.waitForCaughtUp();
    expect(recorder.items.at(-1)).toEqual({ kind: 'caught-up', position: first.position });
    const live = newEvents(3);
    await store().appendToStream(stream, live.slice(0, 1), { expectedRevision: 1n });
    await store().appendToStream(uniqueStreamName('user'), newEvents(1), {
      expectedRevision: 'any',
    });
    await store().appendToStream(stream, live.slice(1), { expectedRevision: 2n });
    await recorder.waitFor(() => recorder.events.length === 5);
    expect(ids(recorder.events.slice(2))).toEqual(ids(live));
    expect(recorder.caughtUpCount()).toBe(1);
  });

  it('ends the iteration when stopped', async () => {
    await store().appendToStream(uniqueStreamName('order'), newEvents(1), {
      expectedRevision: 'any',
    });
    const subscription = store().subscribeToAll({ from: 'start' });
    const seen: string[] = [];
    for await (const item of subscription) {
      seen.push(item.kind);
      if (item.kind === 'caught-up') await subscription.stop();
    }
    expect(seen).toEqual(['event', 'caught-up']);
  });
}
