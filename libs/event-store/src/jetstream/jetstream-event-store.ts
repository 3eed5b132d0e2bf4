import type { NatsConnection } from 'nats';
import { DEFAULT_NATS_STREAMS } from '@keyward/messaging';
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
import { AllEventsSubscription } from './all-events-subscription';
import { decodeCommit } from './commit-codec';
import { CommitAppender } from './commit-appender';
import { awaitEventStream, ensureEventStream } from './event-stream-config';
import type { EventStreamContext } from './event-stream-context';
import { readStreamEvents } from './read-stream-events';
import { readLastCommit } from './stream-commit-reader';
import { StreamHeadCache } from './stream-head-cache';
import { StreamSubjects } from './stream-subjects';

export interface JetStreamEventStoreOptions {
  /** The JetStream stream holding every event. Default `KEYWARD_EVENTS`. */
  streamName?: string;
  /** Subjects are `<subjectPrefix>.<category>.<rest>`. Default `kw.ev`. */
  subjectPrefix?: string;
  /** How long JetStream drops a retried append by its message id. Default 10 minutes. */
  duplicateWindowMs?: number;
  /** How many streams' last revision and sequence are remembered. Default 10,000. */
  streamHeadCacheSize?: number;
  /**
   * Whether this process creates and configures the stream (the command service, the only
   * writer), or only waits for it to exist (readers, whose NATS user may not create it).
   * Default true.
   */
  ownsStream?: boolean;
  /** How long a reader waits for the stream to appear before it gives up. Default 60 s. */
  streamWaitMs?: number;
  /** Copies of the stream in a NATS cluster (`KEYWARD_JETSTREAM_REPLICAS`): 1, 3 or 5. Default 1. */
  replicas?: number;
}

/** See EventStreamContext.leaderReads. */
const LEADER_READ_TIMEOUT_MS = 2000;

const DEFAULTS = {
  streamName: 'KEYWARD_EVENTS',
  subjectPrefix: DEFAULT_NATS_STREAMS.eventSubjectPrefix,
  duplicateWindowMs: 10 * 60_000,
  streamHeadCacheSize: 10_000,
  ownsStream: true,
  streamWaitMs: 60_000,
  replicas: 1,
} satisfies Required<JetStreamEventStoreOptions>;

/** The EventStore port on one JetStream stream; it uses but does not own the connection. */
export class JetStreamEventStore implements EventStore {
  private readonly options: Required<JetStreamEventStoreOptions>;
  private readonly heads: StreamHeadCache;
  private readonly context: Promise<EventStreamContext>;
  private readonly appender: Promise<CommitAppender>;
  private readonly subscriptions = new Set<AllEventsSubscription>();
  private closed = false;

  /**
   * A store whose JetStream stream is known to exist: created or configured by its owner,
   * awaited by a reader.
   */
  static async create(
    nc: NatsConnection,
    options: JetStreamEventStoreOptions = {},
  ): Promise<JetStreamEventStore> {
    const store = new JetStreamEventStore(nc, options);
    if (store.options.ownsStream) await store.ensureStream();
    else await store.awaitStream();
    return store;
  }

  constructor(
    private readonly nc: NatsConnection,
    options: JetStreamEventStoreOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.heads = new StreamHeadCache(this.options.streamHeadCacheSize);
    this.context = this.connect(new StreamSubjects(this.options.subjectPrefix));
    this.context.catch(() => undefined); // surfaces on first use
    this.appender = this.context.then((ctx) => new CommitAppender(ctx, this.heads));
    this.appender.catch(() => undefined);
  }

  /** Creates the JetStream stream or updates its configuration; safe to call on every start. */
  async ensureStream(): Promise<void> {
    const { jsm, stream, subjects } = await this.context;
    await ensureEventStream(jsm, {
      streamName: stream,
      subjects: [subjects.all()],
      duplicateWindowMs: this.options.duplicateWindowMs,
      replicas: this.options.replicas,
    });
  }

  /** Waits until the stream exists (its owner, the command service, creates it). */
  async awaitStream(): Promise<void> {
    const { jsm, stream } = await this.context;
    await awaitEventStream(jsm, stream, this.options.streamWaitMs);
  }

  async appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    return (await this.appender).append(streamName, events, options.expectedRevision);
  }

  async readStream(
    streamName: string,
    options: { fromRevision?: Revision } = {},
  ): Promise<RecordedEvent[]> {
    this.assertOpen();
    const ctx = await this.context;
    return (await readStreamEvents(ctx, this.heads, streamName, options.fromRevision)).events;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new AllEventsSubscription(this.context, options, this.nc, (stopped) =>
      this.subscriptions.delete(stopped),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position | null> {
    this.assertOpen();
    const last = await readLastCommit(await this.context);
    const events = last ? decodeCommit(last) : [];
    return events.length > 0 ? events[events.length - 1].position : null;
  }

  /** Stops the subscriptions; the connection stays open for its owner. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  private async connect(subjects: StreamSubjects): Promise<EventStreamContext> {
    const jsm = await this.nc.jetstreamManager({ checkAPI: false });
    const stream = this.options.streamName;
    // The stream's own configuration when it exists; before (its owner is creating it), ours.
    const replicas = await jsm.streams
      .info(stream)
      .then((info) => info.config.num_replicas)
      .catch(() => this.options.replicas);
    const leaderReads =
      replicas > 1
        ? await this.nc.jetstreamManager({ checkAPI: false, timeout: LEADER_READ_TIMEOUT_MS })
        : undefined;
    return { nc: this.nc, js: this.nc.jetstream(), jsm, stream, subjects, leaderReads };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}
