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
 *
 * One gap it cannot see: a process paused (SIGSTOP, a long GC, a starved VM) past a fetch's
 * expiry. The client gives the pull up when its timer fires on resume, but the server has
 * meanwhile delivered the commits appended during the pause to that pull and counts them as
 * delivered; the client drops them. The library notices the gap only when a later message
 * arrives, so with no further appends the subscription sat behind the head for good (the
 * followers' "no progress" self-heal then resubscribed). So after every empty fetch the
 * subscription compares the last commit it received with the last one in the store, and when
 * the store is ahead it re-creates the consumer right after what it received
 * (`recoverDroppedDeliveries`).
 */
const FETCH_BATCH = 500;
const FETCH_EXPIRES_MS = 2000;
const RETRY_DELAY_MS = 250;
/** Stopped subscriptions delete their consumer; the server drops one left by a crash after this. */
const CONSUMER_INACTIVE_THRESHOLD_MS = 60_000;

interface OpenConsumer {
  ctx: EventStreamContext;
  /** Replaced when deliveries were dropped (see above). */
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
  /** Stream sequence of the last commit received (matching the filter or not). */
  private lastReceived: number;
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
    this.lastReceived = this.startSequence - 1;
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
    const consumer = await orderedConsumer(ctx, filterSubject, this.startSequence);
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

  private async *fetchBatch(opened: OpenConsumer): AsyncGenerator<SubscriptionItem> {
    let received = 0;
    try {
      const fetch = { max_messages: FETCH_BATCH, expires: FETCH_EXPIRES_MS };
      this.batch = await opened.consumer.fetch(fetch);
      for await (const msg of this.batch) {
        received++;
        yield* this.itemsOf(opened.ctx, msg);
      }
    } catch (error) {
      if (this.stopping) return;
      if (!isTransient(error)) throw error;
      await delay(RETRY_DELAY_MS);
      return;
    }
    if (received === 0 && !this.stopping) await this.recoverDroppedDeliveries(opened);
  }

  /** After an empty fetch: the store holds commits past the last one received? Re-create. */
  private async recoverDroppedDeliveries(opened: OpenConsumer): Promise<void> {
    let last: number;
    try {
      last = await lastSequenceOf(opened.ctx, opened.filterSubject);
    } catch {
      return; // the next empty fetch asks again
    }
    if (last <= this.lastReceived || this.stopping) return;
    const dropped = opened.consumer;
    opened.consumer = await orderedConsumer(
      opened.ctx,
      opened.filterSubject,
      this.lastReceived + 1,
    );
    dropped.delete().catch(() => undefined);
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
    this.lastReceived = commit.streamSequence;
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

function orderedConsumer(
  ctx: EventStreamContext,
  filterSubject: string,
  startSequence: number,
): Promise<Consumer> {
  return ctx.js.consumers.get(ctx.stream, {
    filterSubjects: filterSubject,
    opt_start_seq: startSequence,
    inactive_threshold: CONSUMER_INACTIVE_THRESHOLD_MS,
  });
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
