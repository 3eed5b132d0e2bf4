import { describeAppendReadContract } from './contract/append-read.contract';
import type { EventStoreFactory, EventStoreFixture } from './contract/contract-fixtures';
import { describeSubscriptionContract } from './contract/subscription.contract';

export type { EventStoreFactory, EventStoreFixture } from './contract/contract-fixtures';

/**
 * Registers the tests every EventStore adapter must pass. The factory runs before each test and
 * must hand out an empty store; its teardown runs after each test.
 */
export function describeEventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(`${name} honours the event-store contract`, () => {
    let fixture: EventStoreFixture | undefined;
    const current = (): EventStoreFixture => {
      if (!fixture) throw new Error('no event store: the factory failed');
      return fixture;
    };

    beforeEach(async () => {
      fixture = await factory();
    });

    afterEach(async () => {
      await fixture?.teardown();
      fixture = undefined;
    });

    describe('append and read', () => describeAppendReadContract(current));
    describe('subscribe to all', () => describeSubscriptionContract(current));
  });
}
