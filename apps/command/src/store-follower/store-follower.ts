import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { EventStore, Position, RecordedEvent, Subscription } from '@keyward/event-store';
import { EVENT_STORE } from '../tokens';
import { AppError } from '@keyward/transport';

type Listener = (event: RecordedEvent) => void;

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

const SYNC_TIMEOUT_MS = 5_000;

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
  private applied: Position | null = null;
  private arrived: Waiter[] = [];
  private lookingUpHead = false;
  private readonly awaitingHead: { head: Position; waiters: Waiter[] }[] = [];

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

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

  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.arrived.push({ resolve, reject });
      this.lookUpHead();
    });
  }

  /** Follows the store for the life of the service, resuming after the last applied event. */
  private async follow(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      this.subscription = this.store.subscribeToAll({ from: this.applied ?? 'start' });
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
        this.advance(item.event.position);
      } else {
        this.caughtUp = true;
        if (item.position !== null) this.advance(item.position);
      }
    }
  }

  private lookUpHead(): void {
    if (this.lookingUpHead || this.arrived.length === 0) return;
    const batch = this.arrived;
    this.arrived = [];
    this.lookingUpHead = true;
    this.store
      .headPosition()
      .then(
        (head) => this.release(head, batch),
        (error: unknown) =>
          batch.forEach((w) => w.reject(unavailable(`store unreachable: ${String(error)}`))),
      )
      .finally(() => {
        this.lookingUpHead = false;
        this.lookUpHead();
      });
  }

  private release(head: Position | null, waiters: Waiter[]): void {
    if (head === null || (this.applied !== null && this.applied >= head)) {
      waiters.forEach((w) => w.resolve());
      return;
    }
    const entry = { head, waiters };
    this.awaitingHead.push(entry);
    const appliedBefore = this.applied;
    setTimeout(() => {
      const index = this.awaitingHead.indexOf(entry);
      if (index < 0) return;
      this.awaitingHead.splice(index, 1);
      waiters.forEach((w) =>
        w.reject(unavailable('the command service is catching up with the store')),
      );
      // Behind the head with no progress at all: the subscription is stuck (e.g. after the
      // process was paused past its fetch expiry). Stopping it makes `follow` resubscribe.
      if (this.applied === appliedBefore) this.restartSubscription();
    }, SYNC_TIMEOUT_MS).unref();
  }

  private restartSubscription(): void {
    this.logger.warn('store subscription made no progress behind the head; resubscribing');
    void this.subscription?.stop();
  }

  private advance(position: Position): void {
    if (this.applied !== null && position <= this.applied) return;
    this.applied = position;
    for (let i = this.awaitingHead.length - 1; i >= 0; i--) {
      if (this.awaitingHead[i].head > position) continue;
      this.awaitingHead.splice(i, 1)[0].waiters.forEach((w) => w.resolve());
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function unavailable(message: string): AppError {
  return new AppError('SERVICE.UNAVAILABLE', 'unavailable', `${message}; retry`);
}
