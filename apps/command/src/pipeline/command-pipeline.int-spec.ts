import { connect, type NatsConnection } from 'nats';
import { DomainError, type Decider, type DomainEvent } from '@keyward/domain';
import { JetStreamEventStore } from '@keyward/event-store';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import type { CommandContext } from './command-context';
import { StoreFollower } from '../store-follower/store-follower';
import { CommandPipeline } from './command-pipeline';

/** A counter with a cap: the smallest invariant two replicas could break together. */
type Increment = { type: 'Increment'; data: { cap: number } };
type Incremented = DomainEvent<'Incremented', { value: number }>;
const counter: Decider<Increment, Incremented, number> = {
  initialState: () => 0,
  evolve: (_state, event) => event.data.value,
  decide: (command, state) => {
    if (state >= command.data.cap) throw new DomainError('KEY.LIMIT_REACHED', 'cap reached');
    return [{ type: 'Incremented', data: { value: state + 1 } }];
  },
};

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

  beforeAll(async () => {
    nats = await startNatsServer();
    connection = await connect({ servers: nats.url });
    const store = await JetStreamEventStore.create(connection, { streamName: 'PIPELINE_TEST' });
    const clock = { now: () => Date.now() };
    followers = [new StoreFollower(store), new StoreFollower(store)];
    followers.forEach((follower) => follower.onModuleInit());
    replicas = followers.map((follower) => new CommandPipeline(store, clock, follower));
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
});
