import type { SubscribeOptions, Subscription, SubscriptionItem } from '../event-store.port';
import { SubscriptionFilterMatcher } from '../jetstream/subscription-filter';
import type { InMemoryEventLog } from './in-memory-event-log';

/**
 * A subscription to all events of an InMemoryEventLog: the events committed when it was
 * created (after `from`), one caught-up marker, then every later commit as it happens. Nothing
 * can disconnect, so the marker is emitted exactly once.
 */
export class InMemorySubscription implements Subscription {
  private readonly matcher: SubscriptionFilterMatcher;
  /** Index in the log of the next event to look at. */
  private next: number;
  /** Events before this index were committed at subscribe time: the catch-up phase. */
  private readonly catchUpEnd: number;
  private caughtUp = false;
  private lastDelivered: bigint | null;
  private stopped = false;
  private cancelWait: (() => void) | undefined;

  constructor(
    private readonly log: InMemoryEventLog,
    options: SubscribeOptions,
    private readonly onStopped: (subscription: InMemorySubscription) => void,
  ) {
    this.matcher = new SubscriptionFilterMatcher(options.filter);
    this.next = log.indexAfter(options.from);
    this.catchUpEnd = Math.max(log.length(), this.next);
    this.lastDelivered = options.from === 'start' ? null : options.from;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelWait?.();
    this.onStopped(this);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    while (!this.stopped) {
      if (!this.caughtUp && this.next >= this.catchUpEnd) {
        this.caughtUp = true;
        yield { kind: 'caught-up', position: this.lastDelivered };
        continue;
      }
      if (this.next < this.log.length()) {
        const event = this.log.eventAt(this.next++);
        if (!this.matcher.matchesStream(event.streamName) || !this.matcher.matchesType(event)) {
          continue;
        }
        this.lastDelivered = event.position;
        yield { kind: 'event', event };
        continue;
      }
      const { committed, cancel } = this.log.nextCommit();
      this.cancelWait = cancel;
      await committed;
      this.cancelWait = undefined;
    }
  }
}
