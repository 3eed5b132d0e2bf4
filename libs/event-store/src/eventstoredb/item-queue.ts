/** How many waiting items make a producer pause, and how few let it go on again. */
export interface WaterMarks {
  /** More items than this waiting: the producer is asked to pause. */
  highWaterMark: number;
  /** Once asked to pause, the consumer has taken the queue down to this many: it may go on. */
  lowWaterMark: number;
}

/** Water marks and what to do at each; `onHigh` and `onLow` alternate, `onHigh` first. */
export interface Backpressure extends WaterMarks {
  onHigh(): void;
  onLow(): void;
}

/**
 * A push-to-pull bridge: producers push, one `for await` consumer pulls, in order. Pushing never
 * blocks, so a producer faster than the consumer would grow the queue without limit; with
 * `backpressure` the queue tells it when to pause (above the high-water mark) and when to go on
 * (drained to the low-water mark). The gap between the two keeps it from flapping on every item.
 */
export class ItemQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  private failure: unknown;
  private high = false;

  constructor(private readonly backpressure?: Backpressure) {
    if (backpressure) checkWaterMarks(backpressure);
  }

  /** Items pushed and not yet taken by the consumer. */
  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    if (!this.high && this.backpressure && this.items.length > this.backpressure.highWaterMark) {
      this.high = true;
      this.backpressure.onHigh();
    }
    this.wake();
  }

  end(failure?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        this.afterTake();
        yield item;
        continue;
      }
      if (this.ended) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private afterTake(): void {
    if (this.high && this.backpressure && this.items.length <= this.backpressure.lowWaterMark) {
      this.high = false;
      this.backpressure.onLow();
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

function checkWaterMarks({ highWaterMark, lowWaterMark }: WaterMarks): void {
  if (!Number.isInteger(lowWaterMark) || !Number.isInteger(highWaterMark)) {
    throw new RangeError('water marks are whole numbers of items');
  }
  if (lowWaterMark < 0 || lowWaterMark >= highWaterMark) {
    throw new RangeError(
      `need 0 <= lowWaterMark < highWaterMark, got ${lowWaterMark} and ${highWaterMark}`,
    );
  }
}
