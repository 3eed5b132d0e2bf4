import type { EventStore, Position } from '@keyward/event-store';
import { AppError } from '@keyward/transport';

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

const SYNC_TIMEOUT_MS = 5_000;

/**
 * The read barrier of the command service's views (docs/decisions/0002-read-barrier.md):
 * `sync()` resolves once everything committed in the store before the call has been applied
 * by the follower, so a view read after it is as fresh as reading the store itself.
 * Concurrent callers share one head lookup, started after all of them arrived. Without progress
 * towards the head for 5 s the callers are answered `SERVICE.UNAVAILABLE` and `onStalled` is
 * told, so the follower can resubscribe.
 */
export class ReadBarrier {
  private applied: Position | null = null;
  private arrived: Waiter[] = [];
  private lookingUpHead = false;
  private readonly awaitingHead: { head: Position; waiters: Waiter[] }[] = [];

  constructor(
    private readonly store: Pick<EventStore, 'headPosition'>,
    private readonly onStalled: () => void,
  ) {}

  /** The last position the follower applied (null before any). */
  get position(): Position | null {
    return this.applied;
  }

  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.arrived.push({ resolve, reject });
      this.lookUpHead();
    });
  }

  /** The follower applied everything up to `position`. */
  advance(position: Position): void {
    if (this.applied !== null && position <= this.applied) return;
    this.applied = position;
    for (let i = this.awaitingHead.length - 1; i >= 0; i--) {
      if (this.awaitingHead[i].head > position) continue;
      this.awaitingHead.splice(i, 1)[0].waiters.forEach((w) => w.resolve());
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
      // process was paused past its fetch expiry).
      if (this.applied === appliedBefore) this.onStalled();
    }, SYNC_TIMEOUT_MS).unref();
  }
}

function unavailable(message: string): AppError {
  return new AppError('SERVICE.UNAVAILABLE', 'unavailable', `${message}; retry`);
}
