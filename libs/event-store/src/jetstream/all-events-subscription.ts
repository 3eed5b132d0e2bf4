import {
  Events,
  type Consumer,
  type ConsumerMessages,
  type JsMsg,
  type NatsConnection,
  type Status,
} from 'nats';
import type {
  Position,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionItem,
} from '../event-store.port';
import { CatchUpTracker } from './catch-up-tracker';
import { decodeCommit } from './commit-codec';
import { directGet } from './direct-get';
import { splitPosition } from './event-position';
import { commitFromJsMsg, type EventStreamContext } from './event-stream-context';
import { SubscriptionFilterMatcher } from './subscription-filter';

/*
 * An ordered pull consumer read in bounded fetches, so a slow reader holds at most one batch in
 * memory. The library's ordered consumer re-creates itself from the last delivered sequence
 * after a gap, a reconnect or a server restart, so nothing is skipped or delivered twice.
 */
const FETCH_BATCH = 500;
const FETCH_EXPIRES_MS = 2000;
const RETRY_DELAY_MS = 250;
/** Stopped subscriptions delete their consumer; the server drops one left by a crash after this. */
const CONSUMER_INACTIVE_THRESHOLD_MS = 60_000;

interface OpenConsumer {
  ctx: EventStreamContext;
  consumer: Consumer;
  filterSubject: string;
}

type StoppableStatus = AsyncIterable<Status> & { stop?: () => void };

export class AllEventsSubscription implements Subscription {
  private readonly opened: Promise<OpenConsumer>;
  private readonly status: StoppableStatus;
  private readonly matcher: SubscriptionFilterMatcher;
  private readonly after: Position;
  private readonly startSequence: number;
  private readonly catchUp: CatchUpTracker;
  private lastDelivered: Position | null;
  private reconnects = 0;
  private iterated = false;
  private stopping: Promise<void> | undefined;
  private batch: ConsumerMessages | undefined;

  constructor(
    private readonly context: Promise<EventStreamContext>,
    private readonly options: SubscribeOptions,
    nc: NatsConnection,
    private readonly onStopped: (subscription: AllEventsSubscription) => void,
  ) {
    const from = options.from;
    this.after = from === 'start' ? -1n : from;
    this.lastDelivered = from === 'start' ? null : from;
    this.startSequence = from === 'start' ? 1 : Math.max(splitPosition(from).streamSequence, 1);
    this.catchUp = new CatchUpTracker(this.startSequence);
    this.matcher = new SubscriptionFilterMatcher(options.filter);
    this.opened = this.open();
    this.opened.catch(() => undefined); // surfaces when iterated
    this.status = nc.status() as StoppableStatus;
    void this.watchReconnects();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    if (this.iterated) throw new Error('a subscription can be iterated only once');
    this.iterated = true;
    return this.items();
  }

  stop(): Promise<void> {
    this.stopping ??= this.release();
    return this.stopping;
  }

  private async open(): Promise<OpenConsumer> {
    const ctx = await this.context;
    const filterSubject = ctx.subjects.serverFilter(this.options.filter);
    // Taken before the consumer exists, so the consumer is sure to deliver up to it.
    this.catchUp.setTarget(await lastSequenceOf(ctx, filterSubject));
    const consumer = await ctx.js.consumers.get(ctx.stream, {
      filterSubjects: filterSubject,
      opt_start_seq: this.startSequence,
      inactive_threshold: CONSUMER_INACTIVE_THRESHOLD_MS,
    });
    return { ctx, consumer, filterSubject };
  }

  private async *items(): AsyncGenerator<SubscriptionItem> {
    try {
      const opened = await this.opened;
      while (!this.stopping) {
        if (this.catchUp.takeCaughtUp()) yield this.caughtUp();
        yield* this.fetchBatch(opened);
      }
    } finally {
      await this.stop();
    }
  }

  private async *fetchBatch({ ctx, consumer }: OpenConsumer): AsyncGenerator<SubscriptionItem> {
    try {
      this.batch = await consumer.fetch({ max_messages: FETCH_BATCH, expires: FETCH_EXPIRES_MS });
      for await (const msg of this.batch) yield* this.itemsOf(ctx, msg);
    } catch (error) {
      if (this.stopping) return;
      if (!isTransient(error)) throw error;
      await delay(RETRY_DELAY_MS);
    }
  }

  private *itemsOf(ctx: EventStreamContext, msg: JsMsg): Generator<SubscriptionItem> {
    const commit = commitFromJsMsg(ctx, msg);
    if (this.matcher.matchesStream(commit.streamName)) {
      for (const event of decodeCommit(commit)) {
        if (event.position > this.after && this.matcher.matchesType(event)) {
          yield this.delivered(event);
        }
      }
    }
    this.catchUp.seen(commit.streamSequence);
    if (this.catchUp.takeCaughtUp()) yield this.caughtUp();
  }

  private delivered(event: RecordedEvent): SubscriptionItem {
    this.lastDelivered = event.position;
    return { kind: 'event', event };
  }

  private caughtUp(): SubscriptionItem {
    return { kind: 'caught-up', position: this.lastDelivered };
  }

  private async watchReconnects(): Promise<void> {
    for await (const status of this.status) {
      if (status.type !== Events.Reconnect) continue;
      this.catchUp.reconnected();
      void this.retakeTarget(++this.reconnects);
    }
  }

  /** What was committed while disconnected is the next catch-up. */
  private async retakeTarget(reconnect: number): Promise<void> {
    const opened = await this.opened.catch(() => undefined);
    while (opened && !this.stopping && reconnect === this.reconnects) {
      try {
        const target = await lastSequenceOf(opened.ctx, opened.filterSubject);
        if (reconnect === this.reconnects) this.catchUp.setTarget(target);
        return;
      } catch {
        await delay(RETRY_DELAY_MS); // requests right after a reconnect can time out
      }
    }
  }

  private async release(): Promise<void> {
    this.status.stop?.();
    this.batch?.stop();
    try {
      await (await this.opened).consumer.delete();
    } catch {
      // never opened, or the connection is gone: the server drops it after its inactive threshold
    }
    this.onStopped(this);
  }
}

async function lastSequenceOf(ctx: EventStreamContext, filterSubject: string): Promise<number> {
  const last = await directGet(ctx, { last_by_subj: filterSubject });
  return last?.streamSequence ?? 0;
}

function isTransient(error: unknown): boolean {
  const code = String((error as { code?: unknown } | undefined)?.code);
  return code === 'TIMEOUT' || code === '503' || code === 'CONNECTION_DRAINING';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
