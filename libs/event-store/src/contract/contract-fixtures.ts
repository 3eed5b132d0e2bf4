import { randomUUID } from 'node:crypto';
import type {
  EventStore,
  EventToAppend,
  RecordedEvent,
  Subscription,
  SubscriptionItem,
} from '../event-store.port';

export interface EventStoreFixture {
  /** An empty store: the subscription tests read everything from the start. */
  store: EventStore;
  teardown(): Promise<void>;
  /** Another instance over the same storage with nothing cached; the test closes it. */
  reopen?(): Promise<EventStore>;
}

export type EventStoreFactory = () => Promise<EventStoreFixture>;
export type CurrentFixture = () => EventStoreFixture;

export function uniqueStreamName(category: string): string {
  return `${category}-${randomUUID()}`;
}

export function newEvent(type = 'SomethingHappened', data: unknown = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { correlationId: randomUUID() } };
}

export function newEvents(count: number, type?: string): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}

/** Consumes a subscription in the background so a test can wait for what it expects. */
export class SubscriptionRecorder {
  readonly items: SubscriptionItem[] = [];
  private failure: unknown;
  private readonly done: Promise<void>;

  constructor(readonly subscription: Subscription) {
    this.done = this.consume();
  }

  get events(): RecordedEvent[] {
    return this.items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
  }

  caughtUpCount(): number {
    return this.items.filter((item) => item.kind === 'caught-up').length;
  }

  async waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) {
        throw new Error(`timed out; recorded ${this.items.length} items`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  waitForCaughtUp(count = 1, timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.caughtUpCount() >= count, timeoutMs);
  }

  /** Stops the subscription and resolves once its iteration has ended. */
  async stop(): Promise<void> {
    await this.subscription.stop();
    await this.done;
    if (this.failure) throw this.failure;
  }

  private async consume(): Promise<void> {
    try {
      for await (const item of this.subscription) this.items.push(item);
    } catch (error) {
      this.failure = error;
    }
  }
}
