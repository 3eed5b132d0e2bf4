import { counter, decodeCounterEvent } from '../../test/counter-decider';
import { InMemoryEventStore, type EventToAppend } from '@keyward/event-store';
import { StoreFollower } from '../store-follower/store-follower';
import type { CommandContext } from './command-context';
import { CommandPipeline } from './command-pipeline';

/*
 * The pipeline on the in-memory store, with a real StoreFollower on it: the same construction
 * as command-pipeline.int-spec.ts without a nats-server, so these run in the unit project.
 */

const context = (idempotency?: { key: string; fingerprint: string }): CommandContext => ({
  actor: { kind: 'operator' },
  orgId: 'test',
  correlationId: 'c',
  source: { ip: null, userAgent: null, channel: 'nats' },
  ...(idempotency
    ? { idempotencyKey: idempotency.key, requestFingerprint: idempotency.fingerprint }
    : {}),
});

/** An event another writer appends behind the pipeline's back. */
const incremented = (value: number): EventToAppend => ({
  id: `other-writer-${value}`,
  type: 'Incremented',
  data: { value },
  metadata: { commandType: 'Increment' },
});

const codeOf = (outcome: PromiseSettledResult<unknown>): string | undefined =>
  outcome.status === 'rejected' ? (outcome.reason as { code?: string }).code : undefined;

describe('CommandPipeline on the in-memory store', () => {
  let store: InMemoryEventStore;
  let follower: StoreFollower;
  let pipeline: CommandPipeline;
  let appends: jest.SpyInstance;

  beforeEach(() => {
    store = new InMemoryEventStore();
    follower = new StoreFollower(store);
    follower.onModuleInit();
    pipeline = new CommandPipeline(
      store,
      { now: () => 0 },
      follower,
      undefined,
      decodeCounterEvent,
    );
    appends = jest.spyOn(store, 'appendToStream');
  });

  afterEach(async () => {
    await follower.onApplicationShutdown();
    await store.close();
  });

  const increment = (
    streamName: string,
    cap: number,
    idempotency?: { key: string; fingerprint: string },
  ) =>
    pipeline.run({
      streamName,
      decider: counter,
      commandType: 'Increment',
      context: context(idempotency),
      command: () => ({ type: 'Increment', data: { cap } }),
    });

  it('appends a command’s events with the revision it decided on', async () => {
    const first = await increment('counter-a', 10);
    const second = await increment('counter-a', 10);
    expect(appends.mock.calls.map(([stream, , options]) => [stream, options])).toEqual([
      ['counter-a', { expectedRevision: 'no_stream' }],
      ['counter-a', { expectedRevision: 0n }],
    ]);
    expect([first.events, second.events]).toEqual([
      [{ type: 'Incremented', data: { value: 1 } }],
      [{ type: 'Incremented', data: { value: 2 } }],
    ]);
    const stored = await store.readStream('counter-a');
    expect(stored.map((event) => [event.revision, event.data])).toEqual([
      [0n, { value: 1 }],
      [1n, { value: 2 }],
    ]);
    expect(stored[1].metadata).toMatchObject({
      commandType: 'Increment',
      actor: { kind: 'operator' },
    });
    expect(second.position).toBe(stored[1].position);
  });

  it('replays a retry with the same Idempotency-Key and body without appending again', async () => {
    const request = { key: 'retry-1', fingerprint: 'body-1' };
    const first = await increment('counter-b', 10, request);
    const again = await increment('counter-b', 10, request);
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ replayed: true, events: first.events, position: first.position });
    expect(appends).toHaveBeenCalledTimes(1);
    expect(await store.readStream('counter-b')).toHaveLength(1);
  });

  it('replays it on another replica that only knows the stream from the store', async () => {
    const request = { key: 'retry-2', fingerprint: 'body-2' };
    const first = await increment('counter-b2', 10, request);
    const otherFollower = new StoreFollower(store);
    otherFollower.onModuleInit();
    const other = new CommandPipeline(
      store,
      { now: () => 0 },
      otherFollower,
      undefined,
      decodeCounterEvent,
    );
    try {
      const again = await other.run({
        streamName: 'counter-b2',
        decider: counter,
        commandType: 'Increment',
        context: context(request),
        command: () => ({ type: 'Increment', data: { cap: 10 } }),
      });
      expect(again).toMatchObject({ replayed: true, events: first.events });
      expect(await store.readStream('counter-b2')).toHaveLength(1);
    } finally {
      await otherFollower.onApplicationShutdown();
    }
  });

  it('refuses the same Idempotency-Key with a different body, on the stream and elsewhere', async () => {
    await increment('counter-c', 10, { key: 'reused', fingerprint: 'body-1' });
    const sameStream = increment('counter-c', 10, { key: 'reused', fingerprint: 'body-2' });
    await expect(sameStream).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    const otherStream = increment('counter-c2', 10, { key: 'reused', fingerprint: 'body-2' });
    await expect(otherStream).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    expect(appends).toHaveBeenCalledTimes(1);
    expect(await store.readStream('counter-c')).toHaveLength(1);
    expect(await store.readStream('counter-c2')).toEqual([]);
  });

  it('retries after another writer appended between its load and its append, and succeeds', async () => {
    await increment('counter-d', 10);
    let attempts = 0;
    const result = await pipeline.run({
      streamName: 'counter-d',
      decider: counter,
      commandType: 'Increment',
      context: context(),
      command: async () => {
        if (++attempts === 1) {
          await store.appendToStream('counter-d', [incremented(2)], { expectedRevision: 0n });
        }
        return { type: 'Increment', data: { cap: 10 } };
      },
    });
    expect(attempts).toBe(2);
    // Decided again on the other writer's event: 3, not a second 2.
    expect(result.events).toEqual([{ type: 'Incremented', data: { value: 3 } }]);
    const stored = await store.readStream('counter-d');
    expect(stored.map((event) => event.data)).toEqual([{ value: 1 }, { value: 2 }, { value: 3 }]);
    expect(appends.mock.calls.map(([, , options]) => options.expectedRevision)).toEqual([
      'no_stream',
      0n, // the other writer
      0n, // refused: the stream had moved on
      1n,
    ]);
  });

  describe('group commit', () => {
    it('appends concurrent requests on one stream together, each answered with its own events', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => increment('counter-g', 100)),
      );
      expect(appends.mock.calls.length).toBeLessThan(10);
      // eslint-disable-next-line no-restricted-syntax -- a test counter event, not a Keyward event: decodeEvent has no type for it
      expect(results.map((r) => (r.events[0].data as { value: number }).value)).toEqual(
        Array.from({ length: 10 }, (_, i) => i + 1),
      );
      const stored = await store.readStream('counter-g');
      expect(stored.map((event) => event.revision)).toEqual(
        Array.from({ length: 10 }, (_, i) => BigInt(i)),
      );
      // Every answer carries its commit's position, at or past its own event's.
      results.forEach((r, i) => expect((r.position ?? -1n) >= stored[i].position).toBe(true));
    });

    it('refuses the members the decider refuses and commits the others', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => increment('counter-cap', 6)),
      );
      expect(appends.mock.calls.length).toBeLessThan(6);
      expect(results.map(codeOf)).toEqual([
        ...Array(6).fill(undefined),
        ...Array(4).fill('KEY.LIMIT_REACHED'),
      ]);
      expect(await store.readStream('counter-cap')).toHaveLength(6);
    });

    it('a member whose command fails does not fail the batch', async () => {
      let n = 0;
      const results = await Promise.allSettled(
        Array.from({ length: 9 }, () =>
          pipeline.run({
            streamName: 'counter-mixed',
            decider: counter,
            commandType: 'Increment',
            context: context(),
            command: () => {
              if (n++ % 3 === 1) throw new Error('lookup failed');
              return { type: 'Increment', data: { cap: 100 } };
            },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(
        Array.from({ length: 9 }, (_, i) => (i % 3 === 1 ? 'rejected' : 'fulfilled')),
      );
      expect(appends.mock.calls.length).toBeLessThan(6);
      expect(await store.readStream('counter-mixed')).toHaveLength(6);
      expect((await pipeline.load('counter-mixed', counter)).state).toBe(6);
    });
  });
});
