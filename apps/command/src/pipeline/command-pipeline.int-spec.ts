import { connect, type NatsConnection } from 'nats';
import type { Decider } from '@keyward/domain';
import {
  counter,
  decodeCounterEvent,
  type Increment,
  type Incremented,
} from '../../test/counter-decider';
import { JetStreamEventStore } from '@keyward/event-store';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import type { CommandContext } from './command-context';
import { StoreFollower } from '../store-follower/store-follower';
import { CommandPipeline } from './command-pipeline';

const context = (idempotencyKey?: string): CommandContext => ({
  actor: { kind: 'operator' },
  orgId: 'test',
  correlationId: 'c',
  source: { ip: null, userAgent: null, channel: 'nats' },
  ...(idempotencyKey ? { idempotencyKey } : {}),
});

describe('CommandPipeline on JetStream, two replicas with their own caches and followers', () => {
  let nats: NatsServerHandle;
  let connection: NatsConnection;
  let replicas: CommandPipeline[];
  let followers: StoreFollower[];
  let store: JetStreamEventStore;

  beforeAll(async () => {
    nats = await startNatsServer();
    connection = await connect({ servers: nats.url });
    store = await JetStreamEventStore.create(connection, { streamName: 'PIPELINE_TEST' });
    const clock = { now: () => Date.now() };
    followers = [new StoreFollower(store), new StoreFollower(store)];
    followers.forEach((follower) => follower.onModuleInit());
    replicas = followers.map(
      (follower) => new CommandPipeline(store, clock, follower, undefined, decodeCounterEvent),
    );
  });
  afterAll(async () => {
    await Promise.all(followers.map((follower) => follower.onApplicationShutdown()));
    await connection.drain();
    await nats.stop();
  });

  const increment = (replica: CommandPipeline, streamName: string, cap: number, key?: string) =>
    replica.run({
      streamName,
      decider: counter,
      commandType: 'Increment',
      context: context(key),
      command: () => ({ type: 'Increment', data: { cap } }),
    });

  it('never lets concurrent commands on two replicas pass the cap or lose an update', async () => {
    const attempts = Array.from({ length: 40 }, (_, i) =>
      increment(replicas[i % 2], 'counter-a', 25),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    // Under this much contention on one stream some commands give up after bounded retries;
    // what matters is that none passes the cap and every success is counted.
    const codes = new Set(refused.map((r) => (r.reason as { code: string }).code));
    expect(
      [...codes].every((c) => ['KEY.LIMIT_REACHED', 'COMMAND.CONCURRENCY_CONFLICT'].includes(c)),
    ).toBe(true);
    expect(won.length).toBeLessThanOrEqual(25);
    const { state } = await replicas[0].load('counter-a', counter);
    expect(state).toBe(won.length);
  });

  it('runs 100 concurrent commands on one stream of one replica without a single conflict', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => increment(replicas[0], 'counter-one-replica', 1000)),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual([]);
    const { state } = await replicas[0].load('counter-one-replica', counter);
    expect(state).toBe(100);
  });

  it('lets 25 of 40 commands win when they arrive in waves of two (one per replica)', async () => {
    const results: PromiseSettledResult<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      results.push(
        ...(await Promise.allSettled([0, 1].map((r) => increment(replicas[r], 'counter-e', 25)))),
      );
    }
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25);
    expect((await replicas[1].load('counter-e', counter)).state).toBe(25);
    const { state } = await replicas[0].load('counter-a', counter);
    expect(state).toBe(25);
  });

  it('decides on what another replica appended since its cache was filled', async () => {
    await increment(replicas[0], 'counter-b', 2);
    await increment(replicas[1], 'counter-b', 2);
    await expect(increment(replicas[0], 'counter-b', 2)).rejects.toMatchObject({
      code: 'KEY.LIMIT_REACHED',
    });
  });

  it('applies a retry with the same idempotency key once, whichever replica gets it', async () => {
    const first = await increment(replicas[0], 'counter-c', 10, 'retry-1');
    const again = await increment(replicas[1], 'counter-c', 10, 'retry-1');
    expect(again.replayed).toBe(true);
    expect(again.events).toEqual(first.events);
    expect((await replicas[0].load('counter-c', counter)).state).toBe(1);
  });

  it('appends nothing when the decider decides nothing', async () => {
    const noop: Decider<Increment, Incremented, number> = { ...counter, decide: () => [] };
    const result = await replicas[0].run({
      streamName: 'counter-d',
      decider: noop,
      commandType: 'Noop',
      context: context(),
      command: () => ({ type: 'Increment', data: { cap: 1 } }),
    });
    expect(result).toMatchObject({ events: [], position: null });
    expect(
      await (
        await JetStreamEventStore.create(connection, { streamName: 'PIPELINE_TEST' })
      ).readStream('counter-d'),
    ).toEqual([]);
  });

  const readStream = async (streamName: string) =>
    (await JetStreamEventStore.create(connection, { streamName: 'PIPELINE_TEST' })).readStream(
      streamName,
    );

  it('group commit: requests that queue for one stream share commits, each decided in turn', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () => increment(replicas[0], 'counter-group', 45)),
    );
    const won = results.filter(
      (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof increment>>> =>
        r.status === 'fulfilled',
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    // Each member saw what the ones before it in its batch decided: exactly the cap, in order.
    expect(won).toHaveLength(45);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(
      Array(15).fill('KEY.LIMIT_REACHED'),
    );
    // eslint-disable-next-line no-restricted-syntax -- a test counter event, not a Keyward event: decodeEvent has no type for it
    expect(won.map((r) => (r.value.events[0].data as { value: number }).value)).toEqual(
      Array.from({ length: 45 }, (_, i) => i + 1),
    );
    // Fewer commits than events: the requests that waited were appended together. Every
    // answer carries its commit's position, at or past its own event's.
    const stored = await readStream('counter-group');
    expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: 45 }, (_, i) => BigInt(i)));
    const positions = won.map((r) => r.value.position ?? -1n);
    expect(new Set(positions).size).toBeLessThan(20);
    stored.forEach((event, i) => expect(positions[i] >= event.position).toBe(true));
  });

  it('group commit: a member that fails does not fail the batch', async () => {
    let n = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        replicas[0].run({
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
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed.map((r) => (r.reason as Error).message)).toEqual(Array(3).fill('lookup failed'));
    expect((await readStream('counter-mixed')).length).toBe(7);
    expect((await replicas[0].load('counter-mixed', counter)).state).toBe(7);
  });

  it('decides on what this replica appended after a request’s preload began, without a conflict', async () => {
    await increment(replicas[0], 'counter-preload', 100);
    // B's preload is read, then A appends: B's preload is one event behind the cache.
    const preloaded = replicas[0].preload('counter-preload', counter, Promise.resolve());
    await preloaded;
    await increment(replicas[0], 'counter-preload', 100);
    const appends = jest.spyOn(store, 'appendToStream');
    const reads = jest.spyOn(store, 'readStream');
    try {
      const result = await replicas[0].run({
        streamName: 'counter-preload',
        decider: counter,
        commandType: 'Increment',
        context: context(),
        command: () => ({ type: 'Increment', data: { cap: 100 } }),
        preloaded,
      });
      expect(result.events).toEqual([{ type: 'Incremented', data: { value: 3 } }]);
      // One append, accepted at once, and no re-read of the stream after a conflict.
      expect(appends).toHaveBeenCalledTimes(1);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      appends.mockRestore();
      reads.mockRestore();
    }
  });
});
