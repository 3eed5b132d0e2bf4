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
  data: {},
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
 * The self-heal kept beside the adapter's fix for dropped deliveries: a subscription that sits
 * behind the store's head without delivering anything is replaced by one resuming after the
 * last applied event, whatever made it stall.
 */
describe('IndexFollower', () => {
  it('replaces a subscription that makes no progress behind the head', async () => {
    const subscribed: SubscribeOptions[] = [];
    const store = {
      // The first subscription is stuck: caught up at the start, then silent; the store's head
      // is at HEAD. The second delivers the event.
      subscribeToAll: (options: SubscribeOptions) => {
        subscribed.push(options);
        return subscribed.length === 1
          ? subscription([{ kind: 'caught-up', position: null }])
          : subscription([
              { kind: 'event', event },
              { kind: 'caught-up', position: HEAD },
            ]);
      },
      headPosition: () => Promise.resolve(HEAD),
    } as unknown as EventStore;
    const freshness = new Freshness(1000, () => performance.now());
    const errors: string[] = [];
    const follower = new IndexFollower(store, new KeyIndex(), freshness, 10, 100, {
      error: (message) => errors.push(message),
    });
    follower.start();
    const deadline = Date.now() + 3000;
    while (freshness.appliedPosition !== HEAD && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await follower.stop();
    expect(freshness.appliedPosition).toBe(HEAD);
    expect(subscribed).toEqual([{ from: 'start' }, { from: 'start' }]);
    expect(errors).toEqual([
      'store subscription stalled behind the head for 100 ms; resubscribing',
    ]);
  });

  it('waits twice as long before each further restart while nothing is applied', async () => {
    const subscribedAt: number[] = [];
    const store = {
      // Three subscriptions that never deliver (a cluster still recovering), then one that does.
      subscribeToAll: () => {
        subscribedAt.push(performance.now());
        return subscribedAt.length <= 3
          ? subscription([])
          : subscription([
              { kind: 'event', event },
              { kind: 'caught-up', position: HEAD },
            ]);
      },
      headPosition: () => Promise.resolve(HEAD),
    } as unknown as EventStore;
    const freshness = new Freshness(1000, () => performance.now());
    const errors: string[] = [];
    const follower = new IndexFollower(store, new KeyIndex(), freshness, 5, 50, {
      error: (message) => errors.push(message),
    });
    follower.start();
    const deadline = Date.now() + 5000;
    while (freshness.appliedPosition !== HEAD && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await follower.stop();
    expect(freshness.appliedPosition).toBe(HEAD);
    expect(errors).toEqual(
      [50, 100, 200].map(
        (ms) => `store subscription stalled behind the head for ${ms} ms; resubscribing`,
      ),
    );
    // Each subscription was given at least its wait before it was replaced.
    const gaps = subscribedAt.slice(1).map((at, i) => at - subscribedAt[i]);
    expect(gaps[1]).toBeGreaterThanOrEqual(100);
    expect(gaps[2]).toBeGreaterThanOrEqual(200);
  });
});
