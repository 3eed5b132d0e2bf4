import { performance } from 'node:perf_hooks';
import type { EventStore, Position } from '@keyward/event-store';
import type { Freshness } from '../freshness/freshness';

const BARRIER_TIMEOUT_MS = 1000;

/**
 * Lets a miss wait until everything committed before it is applied, so a key issued a moment
 * ago is found rather than called unknown. Concurrent callers share one head lookup, and one
 * lookup at a time is in flight, so a flood of unknown keys costs the store almost nothing.
 */
export class ReadBarrier {
  private arrived: (() => void)[] = [];
  private lookingUp = false;
  private awaiting: { head: Position; waiters: (() => void)[] }[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly freshness: Freshness,
  ) {}

  sync(): Promise<void> {
    return new Promise((resolve) => {
      this.arrived.push(resolve);
      this.lookUpHead();
    });
  }

  advanced(position: Position): void {
    if (this.awaiting.length === 0) return;
    this.awaiting = this.awaiting.filter((entry) => {
      if (entry.head > position) return true;
      entry.waiters.forEach((resolve) => resolve());
      return false;
    });
  }

  private lookUpHead(): void {
    if (this.lookingUp || this.arrived.length === 0) return;
    const waiters = this.arrived;
    this.arrived = [];
    this.lookingUp = true;
    const startedAt = performance.now();
    this.store
      .headPosition()
      .then(
        (head) => {
          this.freshness.headObserved(head, startedAt);
          if (head === null || this.freshness.hasApplied(head)) waiters.forEach((r) => r());
          else this.await(head, waiters);
        },
        () => waiters.forEach((resolve) => resolve()),
      )
      .finally(() => {
        this.lookingUp = false;
        this.lookUpHead();
      });
  }

  private await(head: Position, waiters: (() => void)[]): void {
    const entry = { head, waiters };
    this.awaiting.push(entry);
    setTimeout(() => {
      const index = this.awaiting.indexOf(entry);
      if (index < 0) return;
      this.awaiting.splice(index, 1);
      waiters.forEach((resolve) => resolve());
    }, BARRIER_TIMEOUT_MS).unref();
  }
}
