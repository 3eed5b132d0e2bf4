import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  RecordedEvent,
  Revision,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { InMemoryEventLog } from './in-memory-event-log';
import { InMemorySubscription } from './in-memory-subscription';

export { InMemoryEventLog } from './in-memory-event-log';

/**
 * The EventStore port in process memory, for tests that need a real store without a server:
 * it passes the same contract suite as the JetStream and EventStoreDB adapters. Instances
 * created over one log share it, as two processes share a server; closing one leaves the log.
 * Not for production: nothing survives the process.
 */
export class InMemoryEventStore implements EventStore {
  private readonly subscriptions = new Set<InMemorySubscription>();
  private closed = false;

  constructor(readonly log: InMemoryEventLog = new InMemoryEventLog()) {}

  async appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    return this.log.append(streamName, events, options.expectedRevision);
  }

  async readStream(
    streamName: string,
    options: { fromRevision?: Revision } = {},
  ): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.log.readStream(streamName, options.fromRevision);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new InMemorySubscription(this.log, options, (stopped) =>
      this.subscriptions.delete(stopped),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position | null> {
    this.assertOpen();
    return this.log.headPosition();
  }

  /** Stops this instance's subscriptions; the log stays for the other instances. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}
