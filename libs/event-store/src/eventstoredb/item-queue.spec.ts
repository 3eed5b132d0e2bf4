import { ItemQueue } from './item-queue';

/** Records the callbacks of a queue with high-water mark 4 and low-water mark 1. */
function watchedQueue() {
  const calls: string[] = [];
  const queue = new ItemQueue<number>({
    highWaterMark: 4,
    lowWaterMark: 1,
    onHigh: () => calls.push(`high at ${queue.length}`),
    onLow: () => calls.push(`low at ${queue.length}`),
  });
  return { queue, calls };
}

describe('ItemQueue', () => {
  it('hands items to the consumer in order, then ends', async () => {
    const queue = new ItemQueue<number>();
    [1, 2, 3].forEach((n) => queue.push(n));
    queue.end();
    const taken: number[] = [];
    for await (const n of queue) taken.push(n);
    expect(taken).toEqual([1, 2, 3]);
  });

  it('calls onHigh once when it holds more than the high-water mark', () => {
    const { queue, calls } = watchedQueue();
    for (let n = 0; n < 4; n++) queue.push(n);
    expect(calls).toEqual([]);
    queue.push(4);
    queue.push(5);
    expect(calls).toEqual(['high at 5']);
  });

  it('calls onLow once the consumer has taken it down to the low-water mark, then onHigh again', async () => {
    const { queue, calls } = watchedQueue();
    for (let n = 0; n < 6; n++) queue.push(n);
    const items = queue[Symbol.asyncIterator]();
    for (let taken = 0; taken < 4; taken++) await items.next();
    expect(calls).toEqual(['high at 5']);
    await items.next();
    expect(calls).toEqual(['high at 5', 'low at 1']);
    await items.next();
    expect(calls).toEqual(['high at 5', 'low at 1']);
    for (let n = 0; n < 5; n++) queue.push(n);
    expect(calls).toEqual(['high at 5', 'low at 1', 'high at 5']);
  });

  it('does not call onLow when it never went above the high-water mark', async () => {
    const { queue, calls } = watchedQueue();
    [1, 2, 3].forEach((n) => queue.push(n));
    queue.end();
    for await (const n of queue) void n;
    expect(calls).toEqual([]);
  });

  it('refuses water marks that would not alternate', () => {
    const marks = (highWaterMark: number, lowWaterMark: number) => () =>
      new ItemQueue({ highWaterMark, lowWaterMark, onHigh: () => {}, onLow: () => {} });
    expect(marks(10, 10)).toThrow(RangeError);
    expect(marks(10, -1)).toThrow(RangeError);
    expect(marks(10.5, 2)).toThrow(RangeError);
    expect(marks(10, 0)).not.toThrow();
  });
});
