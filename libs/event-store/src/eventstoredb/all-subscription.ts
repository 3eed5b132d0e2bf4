import {
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Filter,
  type Position as EsdbClientPosition,
} from '@eventstore/db-client';
import type {
  Position,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionItem,
} from '../event-store.port';
import { toEsdbPosition, toPosition, type EsdbPosition } from './esdb-position';
import { ItemQueue, type WaterMarks } from './item-queue';
import { toRecordedEvent } from './recorded-event';
import { splitFilter, type SplitFilter } from './server-filter';

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 2_000;

/**
 * How many items may wait for the consumer before the gRPC stream is paused, and how few before
 * it goes on. A paused stream stops reading, so HTTP/2 flow control holds back the server too.
 */
export const DEFAULT_WATER_MARKS: WaterMarks = { highWaterMark: 1_000, lowWaterMark: 500 };

/*
 * One subscription to `$all` that survives the server going away: after an error or an
 * unexpected end it subscribes again from the last position it is sure of (the last event it
 * delivered, or a later server checkpoint), so nothing is lost or delivered twice, and it
 * reports caught-up again once that new catch-up is done. A consumer slower than the store (a
 * projector replaying a large one) does not let the items it has yet to take grow without limit:
 * past the high-water mark the client subscription is paused until the consumer catches up.
 */
export class AllSubscription implements Subscription {
  private readonly queue: ItemQueue<SubscriptionItem>;
  private readonly filter: SplitFilter;
  private lastDelivered: Position | null;
  private resumeFrom: EsdbPosition | typeof START;
  private current: AllStreamSubscription | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = RETRY_MIN_MS;
  private stopped = false;
  /** The queue went above its high-water mark: the client subscription, and any new one, pause. */
  private paused = false;
  /** Markers (caught-up, checkpoints) wait for the events the client still buffers before them. */
  private pending: { after: number; apply: () => void }[] = [];

  constructor(
    private readonly client: EventStoreDBClient,
    options: SubscribeOptions,
    private readonly streamPrefix = '',
    waterMarks: WaterMarks = DEFAULT_WATER_MARKS,
  ) {
    this.queue = new ItemQueue({
      ...waterMarks,
      onHigh: () => this.pause(),
      onLow: () => this.resume(),
    });
    this.filter = splitFilter(options.filter, streamPrefix);
    this.lastDelivered = options.from === 'start' ? null : options.from;
    this.resumeFrom = options.from === 'start' ? START : toEsdbPosition(options.from);
    this.open();
  }

  /** Items delivered by the server and not yet taken by the consumer. */
  get buffered(): number {
    return this.queue.length;
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    return this.queue[Symbol.asyncIterator]();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const current = this.current;
    this.current = undefined;
    this.queue.end();
    await current?.unsubscribe();
  }

  private open(): void {
    this.pending = [];
    const filter: Filter = { ...this.filter.server };
    filter.checkpointReached = (_subscription, position) =>
      this.onCheckpoint(subscription, position);
    const subscription = this.client.subscribeToAll({ fromPosition: this.resumeFrom, filter });
    this.current = subscription;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => this.onEvent(resolved));
    subscription.on('caughtUp', () => this.afterBuffered(subscription, () => this.onCaughtUp()));
    subscription.on('error', () => this.onLost(subscription));
    subscription.on('end', () => this.onLost(subscription));
    if (this.paused) subscription.pause();
  }

  /*
   * Pausing stops the client's 'data' events at once; what it has read meanwhile stays in its own
   * small buffer (counted by `afterBuffered`), so markers still come after the events before them.
   */
  private pause(): void {
    this.paused = true;
    this.current?.pause();
  }

  private resume(): void {
    this.paused = false;
    this.current?.resume();
  }

  private onEvent(resolved: AllStreamResolvedEvent): void {
    const recorded = resolved.event;
    if (!recorded?.position) return;
    let event: RecordedEvent;
    try {
      event = toRecordedEvent(recorded, this.streamPrefix);
    } catch (error) {
      void this.fail(error);
      return;
    }
    this.retryDelayMs = RETRY_MIN_MS;
    this.resumeFrom = recorded.position;
    if (this.filter.matches(event.streamName, event.type)) {
      this.lastDelivered = event.position;
      this.queue.push({ kind: 'event', event });
    }
    for (const marker of this.pending) marker.after--;
    while (this.pending[0]?.after === 0) this.pending.shift()?.apply();
  }

  /** An event the port cannot represent ends the iteration with the error: skipping it would lose it. */
  private async fail(error: unknown): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const current = this.current;
    this.current = undefined;
    this.queue.end(error);
    await current?.unsubscribe().catch(() => undefined);
  }

  private onCaughtUp(): void {
    this.queue.push({ kind: 'caught-up', position: this.lastDelivered });
  }

  private onCheckpoint(subscription: AllStreamSubscription, position: EsdbClientPosition): void {
    this.afterBuffered(subscription, () => {
      if (this.resumeFrom === START || toPosition(position) > toPosition(this.resumeFrom)) {
        this.resumeFrom = position;
      }
    });
  }

  /** Runs `apply` once every event the client has already queued before this moment is handled. */
  private afterBuffered(subscription: AllStreamSubscription, apply: () => void): void {
    if (subscription !== this.current) return;
    const after = subscription.readableLength;
    if (after === 0 && this.pending.length === 0) apply();
    else this.pending.push({ after: Math.max(after, this.pending.at(-1)?.after ?? 0), apply });
  }

  private onLost(subscription: AllStreamSubscription): void {
    if (this.stopped || subscription !== this.current) return;
    this.current = undefined;
    subscription.removeAllListeners();
    subscription.on('error', () => undefined);
    void subscription.unsubscribe().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) this.open();
    }, this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MAX_MS);
  }
}
