import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { EventStore, RecordedEvent, Subscription } from '@keyward/event-store';
import { EVENT_STORE } from '../tokens';
import { ReadBarrier } from './read-barrier';

type Listener = (event: RecordedEvent) => void;

/**
 * Follows every event of the store (catch-up, then live) and feeds the service's in-memory
 * views. `sync()` is a read barrier: it resolves once everything committed before the call has
 * been applied, so a view read after it is as fresh as reading the store itself. Concurrent
 * callers share one head lookup, started after all of them arrived.
 */
@Injectable()
export class StoreFollower implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StoreFollower.name);
  private readonly listeners: Listener[] = [];
  private subscription?: Subscription;
  private stopped = false;
  private caughtUp = false;
  private readonly barrier: ReadBarrier;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    // Behind the head with no progress at all: stopping the subscription makes `follow`
    // resubscribe.
    this.barrier = new ReadBarrier(store, () => this.restartSubscription());
  }

  onEvent(listener: Listener): void {
    this.listeners.push(listener);
  }

  onModuleInit(): void {
    void this.follow();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
  }

  /** True once the subscription has caught up, until it fails. */
  isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** The read barrier: resolves once everything committed before the call is applied. */
  sync(): Promise<void> {
    return this.barrier.sync();
  }

  /** Follows the store for the life of the service, resuming after the last applied event. */
  private async follow(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      this.subscription = this.store.subscribeToAll({ from: this.barrier.position ?? 'start' });
      try {
        await this.consume(this.subscription);
        attempt = 0;
      } catch (error) {
        // Until the subscription is back, read barriers time out: callers get "unavailable".
        this.caughtUp = false;
        this.logger.error(`store subscription failed, resubscribing: ${String(error)}`);
      }
      if (!this.stopped) await sleep(Math.min(5_000, 100 * 2 ** attempt));
    }
  }

  private async consume(subscription: Subscription): Promise<void> {
    for await (const item of subscription) {
      if (item.kind === 'event') {
        for (const listener of this.listeners) listener(item.event);
        this.barrier.advance(item.event.position);
      } else {
        this.caughtUp = true;
        if (item.position !== null) this.barrier.advance(item.position);
      }
    }
  }

  private restartSubscription(): void {
    this.logger.warn('store subscription made no progress behind the head; resubscribing');
    void this.subscription?.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
