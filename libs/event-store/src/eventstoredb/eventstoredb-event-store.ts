import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult as EsdbAppendResult,
  type JSONType,
  type ReadStreamOptions,
} from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
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
import { AllSubscription } from './all-subscription';
import { toPosition, type EsdbPosition } from './esdb-position';
import { toRecordedEvent } from './recorded-event';
import { isSystemStream } from './server-filter';

const HEAD_PAGE = 64;

export interface EventStoreDbEventStoreOptions {
  /**
   * Confines the store to EventStoreDB streams named with this prefix (stripped from what it
   * returns), so that several stores — test runs, environments — can share one server.
   */
  streamPrefix?: string;
}

/**
 * The production store: EventStoreDB over gRPC. Streams, revisions and optimistic concurrency
 * are EventStoreDB's own; the port's ids become the events' ids, so EventStoreDB's idempotent
 * writes dedupe retries. Positions are explained in `esdb-position.ts`.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();
  private readonly streamPrefix: string;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.streamPrefix = options.streamPrefix ?? '';
  }

  /** `esdb://host:2113?tls=false`, `esdb+discover://…` — EventStoreDB's connection strings. */
  static connect(
    connectionString: string,
    options?: EventStoreDbEventStoreOptions,
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore(
      EventStoreDBClient.connectionString(connectionString),
      options,
    );
  }

  async appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append at least one event');
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(
        this.streamPrefix + streamName,
        events.map(toProposedEvent),
        {
          expectedRevision,
        },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const original = await this.findOriginalAppend(streamName, events, expectedRevision);
      if (original) return original;
      throw new WrongExpectedRevisionError(streamName, expectedRevision, error.actualVersion);
    }
    const position = result.position;
    if (events.length === 1 && position && position.commit === position.prepare) {
      return { nextExpectedRevision: result.nextExpectedRevision, position: toPosition(position) };
    }
    // An append's response carries one position for all its events: read the last one's.
    const [last] = await this.read(streamName, {
      fromRevision: result.nextExpectedRevision,
      maxCount: 1,
    });
    return { nextExpectedRevision: result.nextExpectedRevision, position: last.position };
  }

  readStream(
    streamName: string,
    options: { fromRevision?: Revision } = {},
  ): Promise<RecordedEvent[]> {
    return this.read(streamName, { fromRevision: options.fromRevision ?? 0n });
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new AllSubscription(this.client, options, this.streamPrefix);
    this.subscriptions.add(subscription);
    return {
      [Symbol.asyncIterator]: () => subscription[Symbol.asyncIterator](),
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  /** Reads `$all` backwards past EventStoreDB's own system events and others' streams. */
  async headPosition(): Promise<Position | null> {
    let before: EsdbPosition | typeof END = END;
    for (;;) {
      const page: AllStreamResolvedEvent[] = await this.client
        .readAll({ direction: BACKWARDS, fromPosition: before, maxCount: HEAD_PAGE })
        .toArray();
      for (const { event } of page) {
        if (!event || (before !== END && toPosition(event.position) >= toPosition(before)))
          continue;
        if (this.isOwnStream(event.streamId)) return toPosition(event.position);
        before = event.position;
      }
      if (page.length < HEAD_PAGE) return null;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.subscriptions.clear();
    await this.client.dispose();
  }

  private isOwnStream(storedName: string): boolean {
    return !isSystemStream(storedName) && storedName.startsWith(this.streamPrefix);
  }

  private async read(
    streamName: string,
    options: { fromRevision: Revision; maxCount?: number },
  ): Promise<RecordedEvent[]> {
    const readOptions: ReadStreamOptions = { direction: FORWARDS, ...options };
    const events: RecordedEvent[] = [];
    try {
      const stored = this.client.readStream(this.streamPrefix + streamName, readOptions);
      for await (const resolved of stored) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event, this.streamPrefix));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /*
   * EventStoreDB answers a retried append with "wrong expected version" once the original's
   * ids are no longer right after the expected revision in its idempotency cache, or when the
   * original spans events it cannot check; the port wants the original result whenever the
   * same ids follow the expected revision, so the store itself is the judge.
   */
  private async findOriginalAppend(
    streamName: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    if (expectedRevision === 'any') return undefined;
    const fromRevision = expectedRevision === 'no_stream' ? 0n : expectedRevision + 1n;
    const stored = await this.read(streamName, { fromRevision, maxCount: events.length });
    const same =
      stored.length === events.length &&
      stored.every((event, index) => event.id === events[index].id.toLowerCase());
    if (!same) return undefined;
    const last = stored[stored.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }
}

function toProposedEvent(event: EventToAppend) {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as JSONType,
    metadata: event.metadata as JSONType,
  });
}
