import type { EventStore, RecordedEvent, Subscription } from '@keyward/event-store';
import { EVENTS_CHECKPOINT, type ReadModelWriter } from './read-model-writer';

export interface FollowerOptions {
  /** Events per transaction at most. */
  batchSize?: number;
  /** Called after each committed batch with the checkpoint and the batch's size. */
  onBatch?: (position: number, applied: number) => void;
  onError?: (error: unknown) => void;
}

const DEFAULT_BATCH_SIZE = 2000;

/**
 * Follows the store from the read models' checkpoint (catch-up, then live) and commits events in
 * batches: a batch ends at the batch size, at caught-up, or when the subscription has nothing
 * more ready right now. After a failure it resubscribes from the committed checkpoint, so
 * whatever was buffered and not committed is delivered again.
 */
export class EventFollower {
  private subscription?: Subscription;
  private stopped = false;
  private buffer: RecordedEvent[] = [];
  private flushScheduled = false;
  private caughtUp = false;
  private readonly caughtUpWaiters: (() => void)[] = [];
  private running?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly writer: ReadModelWriter,
    private readonly options: FollowerOptions = {},
  ) {}

  start(): void {
    this.running ??= this.follow();
  }

  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** Resolves at the first caught-up: everything committed when following began is applied. */
  whenCaughtUp(): Promise<void> {
    if (this.caughtUp) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.running;
    this.flush();
  }

  private async follow(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const from = this.writer.checkpoint(EVENTS_CHECKPOINT);
      this.buffer = [];
      this.subscription = this.store.subscribeToAll({
        from: from === null ? 'start' : BigInt(from),
      });
      try {
        for await (const item of this.subscription) {
          if (item.kind === 'event') this.add(item.event);
          else this.reachedHead();
          attempt = 0;
        }
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!this.stopped) await sleep(Math.min(5_000, 100 * 2 ** attempt));
    }
  }

  private add(event: RecordedEvent): void {
    this.buffer.push(event);
    if (this.buffer.length >= (this.options.batchSize ?? DEFAULT_BATCH_SIZE)) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private reachedHead(): void {
    this.flush();
    if (this.caughtUp) return;
    this.caughtUp = true;
    this.caughtUpWaiters.splice(0).forEach((resolve) => resolve());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    const position = this.writer.applyEvents(batch);
    this.options.onBatch?.(position, batch.length);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
