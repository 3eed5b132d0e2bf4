import { MAX_EVENTS_PER_COMMIT, splitPosition, toPosition } from './event-position';

describe('event positions', () => {
  it('orders by commit sequence, then by index within the commit', () => {
    const positions = [toPosition(1, 0), toPosition(1, 1), toPosition(1, 65_535), toPosition(2, 0)];
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(new Set(positions).size).toBe(4);
  });

  it('splits back into sequence and index, beyond 32-bit sequences', () => {
    const streamSequence = 2 ** 40 + 7;
    expect(splitPosition(toPosition(streamSequence, 513))).toEqual({ streamSequence, index: 513 });
    expect(MAX_EVENTS_PER_COMMIT).toBe(65_536);
  });
});
