import type { EventStore, Position, RecordedEvent, Subscription } from '@keyward/event-store';
import type { Publish } from './notify-stream';
import { toNotification } from './notification-mapper';
import { changesOf, type FoldPart, type FoldParts, type StoreChange } from './store-changes';

export interface Checkpoint {
  read(): Position | null;
  /** Advances the checkpoint with the changes of the events up to it, atomically. */
  write(position: Position, changes: readonly StoreChange[]): void;
  /** Events up to here are folded but not published (an upgraded file). */
  foldOnlyThrough?(): Position | null;
  /** Events up to here are already in that part of the file (an upgraded file). */
  foldedThrough?(part: FoldPart): Position | null;
}

export interface RelayOptions {
  /** Notifications published and not yet acknowledged, at most. */
  maxInFlight?: number;
  /**
   * Writes the checkpoint at most this often (0: after every acknowledgement). A crash publishes
   * again what was acknowledged since the last write: duplicates, never a loss.
   */
  checkpointIntervalMs?: number;
  /** As notifications are acknowledged: the position and how many notifications it covered. */
  onAdvance?: (position: Position, published: number) => void;
  onError?: (error: unknown) => void;
  /**
   * After a checkpoint write that changed something besides the position (the expiry scheduler
   * re-plans its deadlines, the webhook dispatcher looks for new deliveries).
   */
  onCheckpoint?: (changes: readonly StoreChange[]) => void;
}

interface Entry {
  position: Position;
  published: boolean;
  done: boolean;
  changes: StoreChange[];
}

/**
 * Follows the store from the checkpoint and publishes each event's notification (SPEC §4). Many
 * publishes are in flight at once, in store order on one connection; the checkpoint advances
 * only over a run of events whose notifications are all acknowledged, so after a crash (or a
 * failed publish, which resubscribes from the checkpoint) whatever was not acknowledged is
 * published again: at least once, never lost. Redeliveries carry the same event id.
 */
export class NotificationRelay {
  private subscription?: Subscription;
  private stopped = false;
  private running?: Promise<void>;
  private caughtUp = false;
  private readonly caughtUpWaiters: (() => void)[] = [];
  private queue: Entry[] = [];
  private acks: Promise<void>[] = [];
  private failure: unknown;
  private lastWritten: Position | null;
  private acked: Position | null = null;
  /** The changes of the acknowledged events not yet checkpointed, in store order. */
  private pendingChanges: StoreChange[] = [];
  private readonly foldOnlyThrough: Position | null;
  private readonly foldedThrough: Record<FoldPart, Position | null>;
  private writeTimer?: NodeJS.Timeout;
  /** Readers waiting for the checkpoint to cover a position (`whenCheckpointed`). */
  private waiters: { position: Position; done: (reached: boolean) => void }[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly publish: Publish,
    private readonly checkpoint: Checkpoint,
    private readonly options: RelayOptions = {},
  ) {
    this.lastWritten = checkpoint.read();
    this.foldOnlyThrough = checkpoint.foldOnlyThrough?.() ?? null;
    const through = (part: FoldPart) => checkpoint.foldedThrough?.(part) ?? null;
    this.foldedThrough = {
      deadlines: through('deadlines'),
      leads: through('leads'),
      endpoints: through('endpoints'),
    };
  }

  start(): void {
    this.running ??= this.follow();
  }

  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  whenCaughtUp(): Promise<void> {
    if (this.caughtUp) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  /** The checkpoint: every notification up to here is acknowledged. */
  position(): Position | null {
    return this.lastWritten;
  }

  /**
   * Resolves true once the checkpoint covers `position` (written as soon as it is acknowledged,
   * not at the next interval), or false after `timeoutMs`: how a query reads its own writes.
   */
  whenCheckpointed(position: Position, timeoutMs: number): Promise<boolean> {
    if (this.lastWritten !== null && this.lastWritten >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter = {
        position,
        done: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      this.waiters.push(waiter);
      if (this.acked !== null && this.acked >= position) this.writeCheckpoint();
    });
  }

  /** Stops following, and waits for what was published to be acknowledged and checkpointed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.running;
    this.writeCheckpoint();
  }

  private async follow(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      this.writeCheckpoint();
      const from = this.checkpoint.read();
      this.failure = undefined;
      this.subscription = this.store.subscribeToAll({ from: from ?? 'start' });
      try {
        for await (const item of this.subscription) {
          if (this.failure !== undefined) throw this.failure;
          if (item.kind === 'caught-up') this.reachedHead();
          else await this.relay(item.event);
          attempt = 0;
        }
      } catch (error) {
        this.options.onError?.(error);
        await this.subscription.stop().catch(() => undefined);
      }
      // Let every publish in flight finish; what is not acknowledged is not checkpointed, and
      // the next subscription (from the checkpoint) publishes it again.
      await Promise.allSettled(this.acks);
      this.acks = [];
      this.queue = [];
      if (!this.stopped) await sleep(Math.min(5_000, 100 * 2 ** attempt));
    }
  }

  private async relay(event: RecordedEvent): Promise<void> {
    const alreadyPublished =
      this.foldOnlyThrough !== null && event.position <= this.foldOnlyThrough;
    const notification = alreadyPublished ? null : toNotification(event);
    const entry: Entry = {
      position: event.position,
      published: notification !== null,
      done: false,
      changes: changesOf(event, notification, this.partsFolding(event.position)),
    };
    this.queue.push(entry);
    if (notification === null) {
      entry.done = true;
      this.advance();
      return;
    }
    const ack = this.publish(notification).then(
      () => {
        entry.done = true;
        this.advance();
      },
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    this.acks.push(ack);
    if (this.acks.length >= (this.options.maxInFlight ?? 1000)) {
      await Promise.all(this.acks);
      this.acks = [];
      if (this.failure !== undefined) throw this.failure;
    }
  }

  /** The parts of the file that do not hold the event at `position` yet. */
  private partsFolding(position: Position): FoldParts {
    const folds = (part: FoldPart) => {
      const through = this.foldedThrough[part];
      return through === null || position > through;
    };
    return { deadlines: folds('deadlines'), leads: folds('leads'), endpoints: folds('endpoints') };
  }

  /** Checkpoints the longest acknowledged run at the head of the queue. */
  private advance(): void {
    let last: Position | null = null;
    let published = 0;
    let i = 0;
    while (i < this.queue.length && this.queue[i].done) {
      last = this.queue[i].position;
      if (this.queue[i].published) published++;
      if (this.queue[i].changes.length > 0) this.pendingChanges.push(...this.queue[i].changes);
      i++;
    }
    if (last === null) return;
    this.queue.splice(0, i);
    this.acked = last;
    this.options.onAdvance?.(last, published);
    const interval = this.options.checkpointIntervalMs ?? 0;
    const awaited = this.waiters.some((w) => w.position <= last);
    if (interval === 0 || awaited) this.writeCheckpoint();
    else this.writeTimer ??= setTimeout(() => this.writeCheckpoint(), interval);
  }

  private writeCheckpoint(): void {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    if (this.acked === null || this.acked === this.lastWritten) return;
    const changes = this.pendingChanges;
    this.checkpoint.write(this.acked, changes);
    this.pendingChanges = [];
    const written = this.acked;
    this.lastWritten = written;
    if (changes.length > 0) this.options.onCheckpoint?.(changes);
    const reached = this.waiters.filter((w) => w.position <= written);
    if (reached.length > 0) {
      this.waiters = this.waiters.filter((w) => w.position > written);
      for (const waiter of reached) waiter.done(true);
    }
  }

  private reachedHead(): void {
    if (this.caughtUp) return;
    this.caughtUp = true;
    this.caughtUpWaiters.splice(0).forEach((resolve) => resolve());
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
