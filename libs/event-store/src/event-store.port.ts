/**
 * The event-store port. Adapters (JetStream, EventStoreDB) implement it and must pass the
 * contract suite in `event-store.contract.ts`.
 *
 * Revisions are per stream and zero-based: a stream with one event is at revision 0n.
 * Positions are global, strictly increasing in commit order, and comparable across streams.
 */
export type Revision = bigint;
export type Position = bigint;

export type ExpectedRevision = Revision | 'no_stream' | 'any';

export interface EventToAppend {
  /** Deterministic ids make a retried append a no-op (see the contract suite). */
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

export interface RecordedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  streamName: string;
  revision: Revision;
  position: Position;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: pass it as the next expectedRevision. */
  nextExpectedRevision: Revision;
  /** Position of the last appended event. */
  position: Position;
}

/** An absent or empty list does not constrain; both lists given means both must match. */
export interface SubscriptionFilter {
  /** Stream-name prefixes such as `serviceAccount-`; an event matches if its stream starts with one. */
  streamNamePrefixes?: readonly string[];
  /** Event types; an event matches if its type is one of them. */
  eventTypes?: readonly string[];
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position; 'start' delivers everything. */
  from: Position | 'start';
  filter?: SubscriptionFilter;
}

export type SubscriptionItem =
  | { kind: 'event'; event: RecordedEvent }
  /**
   * Emitted once when the catch-up phase has delivered everything committed at subscribe time, and again after each reconnect catch-up.
   * `position` is that of the last event this subscription delivered, or the `from` position (null for 'start') if it has delivered none.
   */
  | { kind: 'caught-up'; position: Position | null };

export interface Subscription extends AsyncIterable<SubscriptionItem> {
  stop(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends all events atomically. Throws WrongExpectedRevisionError when the stream is not at
   * `expectedRevision`. Appending events whose ids equal the events already stored right after
   * `expectedRevision` is an idempotent no-op that returns the original result.
   */
  appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;

  /** All events of the stream in order (optionally from a revision on); [] if it does not exist. */
  readStream(streamName: string, options?: { fromRevision?: Revision }): Promise<RecordedEvent[]>;

  /** Catch-up then live subscription to all events, in position order. */
  subscribeToAll(options: SubscribeOptions): Subscription;

  /** Position of the last committed event in the whole store, or null if it is empty. */
  headPosition(): Promise<Position | null>;

  close(): Promise<void>;
}
