import { performance } from 'node:perf_hooks';
import type {
  EventStore,
  Position,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionItem,
} from '@keyward/event-store';
import { Freshness } from '../freshness/freshness';
import { KeyIndex } from '../key-index/key-index';
import { IndexFollower } from './index-follower';

const HEAD: Position = 7n;

const event: RecordedEvent = {
  id: 'e1',
  type: 'OrganizationCreated',
  data: { orgId: 'o1', name: 'O1' },
  metadata: {},
  streamName: 'organization-o1',
  revision: 0n,
  position: HEAD,
};

/** A subscription that yields `items` and then waits, delivering nothing, until stopped. */
function subscription(items: SubscriptionItem[]): Subscription {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  return {
    stop: () => {
      stop();
      return Promise.resolve();
    },
    async *[Symbol.asyncIterator]() {
      yield* items;
      await stopped;
    },
  };
}

/**
 * Follows a store whose first `stuck` subscriptions yield `stuckItems` and then deliver nothing
 * (the store's head is at HEAD), and whose next one delivers the event: until it is applied, or
 * for at most 5 s.
 */
async function followPast(stuck: number, stallMs: number, stuckItems: SubscriptionItem[] = []) {
  const subscribed: { options: SubscribeOptions; at: number }[] = [];
  const store = {
    subscribeToAll: (options: SubscribeOptions) => {
      subscribed.push({ options, at: performance.now() });
      return subscribed.length <= stuck
        ? subscription(stuckItems)
        : subscription([
            { kind: 'event', event },
            { kind: 'caught-up', position: HEAD },
          ]);
    },
    headPosition: () => Promise.resolve(HEAD),
  } as unknown as EventStore;
  const freshness = new Freshness(1000, () => performance.now());
  const errors: string[] = [];
  const follower = new IndexFollower(store, new KeyIndex(), freshness, 5, stallMs, {
    error: (message) => errors.push(message),
  });
  follower.start();
  const deadline = Date.now() + 5000;
  while (freshness.appliedPosition !== HEAD && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await follower.stop();
  return { applied: freshness.appliedPosition, subscribed, errors };
}

const stalled = (ms: number) =>
  `store subscription stalled behind the head for ${ms} ms; resubscribing`;

/**
 * The self-heal kept beside the adapter's fix for dropped deliveries: a subscription that sits
 * behind the store's head without delivering anything is replaced by one resuming after the
 * last applied event, whatever made it stall.
 */
describe('IndexFollower', () => {
  it('replaces a subscription that makes no progress behind the head', async () => {
    // The first subscription is caught up at the start, then silent.
    const { applied, subscribed, errors } = await followPast(1, 100, [
      { kind: 'caught-up', position: null },
    ]);
    expect(applied).toBe(HEAD);
    expect(subscribed.map((s) => s.options)).toEqual([{ from: 'start' }, { from: 'start' }]);
    expect(errors).toEqual([stalled(100)]);
  });

  it('waits twice as long before each further restart while nothing is applied', async () => {
    // Three subscriptions that never deliver (a cluster still recovering), then one that does.
    const { applied, errors } = await followPast(3, 50);
    expect(applied).toBe(HEAD);
    // Without the doubling, a restart every 50 ms while the follower waits to resubscribe
    // (its own back-off: 100, 200, 400 ms) made a dozen.
    expect(errors.slice(0, 3)).toEqual([50, 100, 200].map(stalled));
    expect(errors.length).toBeLessThanOrEqual(5);
  });

  it('moves past an event type it does not know; stops at a known type it cannot read', async () => {
    const at = (position: bigint, type: string, data: unknown): SubscriptionItem => ({
      kind: 'event',
      event: { ...event, type, data, position },
    });
    const follow = async (items: SubscriptionItem[]) => {
      const store = {
        subscribeToAll: () => subscription(items),
        headPosition: () => Promise.resolve(HEAD),
      } as unknown as EventStore;
      const freshness = new Freshness(1000, () => performance.now());
      const errors: string[] = [];
      const follower = new IndexFollower(store, new KeyIndex(), freshness, 5, 10_000, {
        error: (message) => errors.push(message),
      });
      follower.start();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await follower.stop();
      return { applied: freshness.appliedPosition, errors };
    };
    // A newer writer's type: skipped, and the node is caught up past it.
    const newer = await follow([
      at(6n, 'WebhookEndpointAdded', { endpointId: 'w' }),
      { kind: 'caught-up', position: 6n },
    ]);
    expect(newer).toEqual({ applied: 6n, errors: [] });
    // A revocation it cannot read: never stepped over, so the node cannot prove it is fresh.
    const corrupt = await follow([
      at(5n, 'OrganizationCreated', { orgId: 'o1', name: 'O1' }),
      at(6n, 'KeyRevoked', { keyId: 'k' }),
    ]);
    expect(corrupt.applied).toBe(5n);
    expect(corrupt.errors[0]).toMatch(/KeyRevoked event does not decode/);
  });
});
